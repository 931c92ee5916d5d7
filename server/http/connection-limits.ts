import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { addressKey } from '../limits';

/**
 * How long a client may take and how many connections one address may hold
 * (CONN-1, CONN-2). A client that trickles its request, or opens connections
 * and sends nothing, is cut off before it can use up the server's file limit.
 */
export interface ConnectionLimits {
  /** Time from connecting (or the end of the previous request) to complete request headers. */
  headersTimeoutMs: number;
  /** Time to receive a whole request, headers and body. Responses (live streams) are not limited. */
  requestTimeoutMs: number;
  /** How long a keep-alive connection may sit idle between requests. */
  keepAliveTimeoutMs: number;
  /** A connection with no traffic either way for this long is closed, e.g. a client that stopped reading. */
  idleTimeoutMs: number;
  /** Open connections one client address (IPv6: one /64) may hold; 0 turns the cap off. */
  maxConnectionsPerAddress: number;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  headersTimeoutMs: 20_000,
  // NOTE: the largest push (16 MiB) needs about 2.2 Mbit/s to arrive in time.
  requestTimeoutMs: 60_000,
  // NOTE: longer than the 60 s idle timeout of common load balancers, so they close first (no 502 race).
  keepAliveTimeoutMs: 72_000,
  idleTimeoutMs: 120_000,
  maxConnectionsPerAddress: 128,
};

/** The limits with a default for every one not given (an undefined value counts as not given). */
export function resolveConnectionLimits(given: Partial<ConnectionLimits> = {}): ConnectionLimits {
  const limits = { ...DEFAULT_CONNECTION_LIMITS };
  for (const key of Object.keys(limits) as (keyof ConnectionLimits)[]) limits[key] = given[key] ?? limits[key];
  return limits;
}

/** Node checks header and request deadlines on an interval (default 30 s); check often enough to keep them. */
function checkingInterval(limits: ConnectionLimits): number {
  return Math.max(50, Math.min(30_000, Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs) / 4));
}

/**
 * Applies the timeouts to the HTTP(S) server and caps connections per
 * address: a connection beyond the cap is closed at once, before TLS or
 * HTTP parsing, and reported to `onRefused`. Call before `listen`.
 */
export function limitConnections(server: Server, limits: ConnectionLimits, onRefused: () => void): void {
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.setTimeout(limits.idleTimeoutMs);
  // NOTE: not in @types/node's Server, but read by Node when the server starts listening.
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = checkingInterval(limits);

  if (limits.maxConnectionsPerAddress <= 0) return;
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const key = addressKey(socket.remoteAddress ?? 'unknown');
    const count = open.get(key) ?? 0;
    if (count >= limits.maxConnectionsPerAddress) {
      onRefused();
      socket.destroy();
      return;
    }
    open.set(key, count + 1);
    socket.once('close', () => {
      const left = (open.get(key) ?? 1) - 1;
      if (left > 0) open.set(key, left);
      else open.delete(key);
    });
  });
}
