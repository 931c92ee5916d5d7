import { addressKey, RetryLaterError } from '../limits';
import type { HttpContext } from './context';

/** The request limits of the HTTP layer: sign-in per address (AUTH-8), the rest per session (LIMIT-2). */
type LimitName = 'sign-in' | 'session';

const REFUSAL: Record<LimitName, (wait: number) => string> = {
  'sign-in': (wait) => `Too many sign-in attempts from this address; wait ${wait} s and try again.`,
  session: (wait) => `Too many requests from this session; wait ${wait} s and try again.`,
};

/**
 * Counts one request against a limit, whose counts live in the store and so
 * are shared by every process on the database (LIMIT-1); over the limit it
 * throws `429 RATE_LIMITED` with `Retry-After` and counts the refusal in /metrics.
 */
export async function refuseOverLimit(context: HttpContext, limit: LimitName, key: string): Promise<void> {
  const limiter = limit === 'sign-in' ? context.loginLimiter : context.sessionLimiter;
  const wait = await limiter.hit(limit === 'sign-in' ? addressKey(key) : key);
  if (wait === 0) return;
  context.metrics.count('curio_requests_refused_total', { limit });
  throw new RetryLaterError('RATE_LIMITED', REFUSAL[limit](wait), wait);
}
