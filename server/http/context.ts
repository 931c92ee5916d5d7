import type { FastifyRequest } from 'fastify';
import { AppError } from '../../shared/errors';
import { roleAtLeast, withArticle } from '../../shared/permissions';
import type { Role } from '../../shared/protocol';
import type { Auth, PasswordHashing, Principal } from '../auth';
import type { RateLimiter } from '../limits';
import type { Store } from '../store';
import type { StreamHub } from '../sync';
import type { ContentEncoding } from './compression';
import type { Metrics } from './metrics';
import type { MetricsAccess } from './metrics-access';
import { refuseOverLimit } from './rate-limit';

/** What the route modules share. */
export interface HttpContext {
  store: Store;
  auth: Auth;
  hub: StreamHub;
  metrics: Metrics;
  /** Who may read /metrics (OPS-6). */
  metricsAccess: MetricsAccess;
  hashing: PasswordHashing;
  /** Sign-in and refresh per client address (AUTH-8). */
  loginLimiter: RateLimiter;
  /** Every authenticated request per session (LIMIT-2). */
  sessionLimiter: RateLimiter;
  tls: boolean;
  /** Byte cap of one pull page (PULL-6). */
  pullPageBytes: number;
  /** Encodings pull answers may be compressed with, best first. */
  pullEncodings: readonly ContentEncoding[];
  /** When this process started (ADMIN-7). */
  startedAt: string;
  /** How long a setup code lasts unless the admin says otherwise (ADMIN-6). */
  setupCodeDays: number;
  /** The disk /health/ready checks for free space (OPS-2); null on PostgreSQL, whose disk is the database's. */
  dataDisk: { dir: string; minFreeBytes: number } | null;
  /** Whether the server is stopping (OPS-5): a streamed pull then ends at the next page boundary. */
  closing: () => boolean;
}

/**
 * The signed-in principal of a request (AUTH-5): a valid access token of a
 * live session, within its session's request limit (LIMIT-2).
 */
export async function principalOf(context: HttpContext, request: FastifyRequest): Promise<Principal> {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer (\S+)$/i.exec(header) : null;
  if (!match) throw new AppError('UNAUTHORIZED', 'Sign in first: send Authorization: Bearer <access token>.');
  const token = match[1]!;
  const sessionId = context.auth.sessionOf(token);
  // NOTE: the session's request count and its live check are two store round
  // trips; run side by side they cost a push one round trip, as before LIMIT-2.
  // A dead session's refusal wins over its limit.
  const [principal, limit] = await Promise.allSettled([
    context.auth.authenticate(token),
    refuseOverLimit(context, 'session', sessionId),
  ]);
  if (principal.status === 'rejected') throw principal.reason;
  if (limit.status === 'rejected') throw limit.reason;
  return principal.value;
}

/** Roles rank as in shared/permissions.ts, the table the app's services and screens follow too. */
export function requireRole(principal: Principal, role: Role, doing: string): void {
  if (!roleAtLeast(principal.user.role, role)) {
    throw new AppError(
      'FORBIDDEN',
      `Only ${role}s can ${doing}; you are signed in as ${withArticle(principal.user.role)}.`,
    );
  }
}
