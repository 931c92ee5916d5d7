export { addressKey } from './address';
export {
  DEFAULT_LOGIN_BACKOFF,
  clearLoginWaits,
  createLoginBackoff,
  heldUntil,
  waitAfter,
  type AttemptClaim,
  type LoginBackoff,
  type LoginBackoffSettings,
} from './login-backoff';
export { createRateLimiter, type RateLimit, type RateLimiter } from './rate-windows';
export { RetryLaterError, isRetryLater } from './retry-later';
