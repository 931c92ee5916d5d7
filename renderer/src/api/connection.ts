import { LAUNCH_CHECK_PATH, LAUNCH_TOKEN_HEADER } from '../../../shared/browser-mode';

/**
 * Where browser mode's tRPC WebSocket lives. The host prints `http://127.0.0.1:PORT/#token=...`;
 * the token stays in this tab's session storage so the address bar can drop it.
 */
const TOKEN_KEY = 'curio-token';

/** Browser mode listens on loopback only; a pasted address elsewhere is not one `npm start` printed. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost']);

export function browserModeToken(): string | null {
  const fromHash = tokenInHash(location.hash);
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

/**
 * An address pasted into this tab that differs only in its fragment is no
 * navigation: the page stays, with the WebSocket of the old secret. So a new
 * token in the fragment is kept and the page reloads to connect with it.
 */
export function reloadOnNewTokenInAddress(): void {
  window.addEventListener('hashchange', () => {
    const token = tokenInHash(location.hash);
    if (!token) return;
    sessionStorage.setItem(TOKEN_KEY, token);
    location.reload();
  });
}

/**
 * `current`: the host knows this tab's secret; `outdated`: it runs with another one; `missing`: this tab
 * was opened without the printed address's secret; `unreachable`: no answer.
 */
export type LaunchCheck = 'current' | 'outdated' | 'missing' | 'unreachable';

/** Asks the host whether this tab's secret is still the launch secret (see shared/browser-mode.ts). */
export async function checkLaunchToken(): Promise<LaunchCheck> {
  const token = sessionStorage.getItem(TOKEN_KEY) ?? '';
  try {
    const response = await fetch(LAUNCH_CHECK_PATH, { headers: { [LAUNCH_TOKEN_HEADER]: token }, cache: 'no-store' });
    if (response.status === 204) return 'current';
    if (response.status === 401) return token ? 'outdated' : 'missing';
    return 'unreachable';
  } catch {
    return 'unreachable';
  }
}

/**
 * Opens an address `npm start` printed: on this host and port the new token
 * is kept and the page reloads (changing the fragment alone would not reload);
 * another port is a plain navigation. Returns what is wrong with the text, or
 * null when it is on its way.
 */
export function openPrintedAddress(text: string): string | null {
  const example = 'Paste the whole address `npm start` printed, like http://127.0.0.1:5310/#token=…';
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return `That is not an address. ${example}`;
  }
  const token = tokenInHash(url.hash);
  if (url.protocol !== 'http:' || !LOOPBACK_HOSTS.has(url.hostname)) {
    return `Curio's browser mode runs on 127.0.0.1 only. ${example}`;
  }
  if (!token) return `That address carries no token. ${example}`;
  if (url.origin === location.origin) {
    sessionStorage.setItem(TOKEN_KEY, token);
    location.reload();
  } else {
    location.assign(url.href);
  }
  return null;
}

function tokenInHash(hash: string): string | null {
  return new URLSearchParams(hash.replace(/^#/, '')).get('token') || null;
}
