/**
 * Where browser mode's tRPC WebSocket lives. The host prints `http://127.0.0.1:PORT/#token=...`;
 * the token stays in this tab's session storage so the address bar can drop it.
 */
const TOKEN_KEY = 'curio-token';

export function browserModeToken(): string | null {
  const fromHash = new URLSearchParams(location.hash.replace(/^#/, '')).get('token');
  if (fromHash) {
    sessionStorage.setItem(TOKEN_KEY, fromHash);
    history.replaceState(null, '', location.pathname + location.search);
    return fromHash;
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

export function browserModeSocketUrl(token: string | null): string {
  const protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${protocol}//${location.host}/trpc?token=${encodeURIComponent(token ?? '')}`;
}
