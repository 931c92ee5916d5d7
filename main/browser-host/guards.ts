import { timingSafeEqual } from 'node:crypto';

/**
 * The checks that keep other web pages and other local users out of browser mode.
 * A page on another site cannot read the token (it lives in the URL fragment the host
 * printed), cannot pass the Origin check, and DNS rebinding fails the Host check.
 */
export interface GuardOptions {
  /** The port the host listens on; only 127.0.0.1:PORT and localhost:PORT are accepted. */
  port: number;
  token: string;
}

export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

/** The Host header must name this host exactly (guards against DNS rebinding). */
export function isAllowedHost(hostHeader: string | undefined, port: number): boolean {
  return hostHeader !== undefined && allowedHosts(port).includes(hostHeader.toLowerCase());
}

/** The Origin header, when a browser sends one, must be this host's own origin. */
export function isAllowedOrigin(originHeader: string | undefined, port: number): boolean {
  if (originHeader === undefined) return false;
  return allowedHosts(port).some((host) => originHeader.toLowerCase() === `http://${host}`);
}

/** Constant-time comparison so the token cannot be guessed byte by byte. */
export function tokenMatches(given: string | null | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export type UpgradeRefusal = { status: 401 | 403; reason: string };

/** Decides whether a WebSocket upgrade may reach the tRPC router; null means allowed. */
export function refuseUpgrade(
  headers: { host?: string; origin?: string },
  url: string | undefined,
  options: GuardOptions,
): UpgradeRefusal | null {
  if (!isAllowedHost(headers.host, options.port)) return { status: 403, reason: 'Host not allowed' };
  if (!isAllowedOrigin(headers.origin, options.port)) return { status: 403, reason: 'Origin not allowed' };
  const token = new URL(url ?? '/', 'http://placeholder').searchParams.get('token');
  if (!tokenMatches(token, options.token)) return { status: 401, reason: 'Missing or wrong token' };
  return null;
}
