import { AppError, type ErrorCode } from '../../shared/errors';

/**
 * An error that tells the client when it may try again: the HTTP boundary
 * adds `Retry-After` (seconds). Thrown by the sign-in backoff and the rate
 * limits (`RATE_LIMITED`, 429), and by a wrong password that starts a wait.
 */
export class RetryLaterError extends AppError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(code, message);
    this.name = 'RetryLaterError';
  }
}

export function isRetryLater(error: unknown): error is RetryLaterError {
  return error instanceof RetryLaterError;
}
