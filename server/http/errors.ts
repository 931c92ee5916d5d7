import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, isAppError, type ErrorCode } from '../../shared/errors';
import { isRetryLater } from '../limits';

/** The one place error codes become HTTP statuses (STYLE: mapped once per boundary). */
export const STATUS_BY_CODE: Record<ErrorCode, number> = {
  VALIDATION: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  REFERENCED: 409,
  FORBIDDEN: 403,
  UNAUTHORIZED: 401,
  CONFIRMATION_REQUIRED: 400,
  BAD_FILE: 400,
  RATE_LIMITED: 429,
  UPGRADE_REQUIRED: 426,
  RESYNC_REQUIRED: 410,
  INTERNAL: 500,
};

export function errorBody(code: ErrorCode, message: string, extra: Record<string, unknown> = {}) {
  return { error: { code, message, ...extra } };
}

/** Turns framework errors (bad JSON, too large, wrong media type) into the protocol's error shape. */
function fromFramework(error: FastifyError, bodyLimit: number): AppError | null {
  switch (error.statusCode) {
    case 413:
      return new AppError(
        'VALIDATION',
        `The request body is larger than the server's limit of ${bodyLimit} bytes; send smaller batches.`,
      );
    case 415:
      return new AppError('VALIDATION', 'Send the request body as JSON with Content-Type: application/json.');
    case 400:
      return new AppError(
        'VALIDATION',
        error.code?.includes('JSON')
          ? 'The request body is not valid JSON.'
          : `The request is not valid: ${error.message}`,
      );
    default:
      return null;
  }
}

export function installErrorHandling(
  app: {
    setErrorHandler: (handler: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => void) => void;
  },
  bodyLimit: number,
): void {
  app.setErrorHandler((error, request, reply) => {
    if (isAppError(error)) {
      const extra = error.fieldErrors ? { fieldErrors: error.fieldErrors } : {};
      if (isRetryLater(error)) void reply.header('retry-after', String(error.retryAfterSeconds));
      void reply.status(STATUS_BY_CODE[error.code]).send(errorBody(error.code, error.message, extra));
      return;
    }
    const mapped = fromFramework(error, bodyLimit);
    if (mapped) {
      void reply.status(error.statusCode ?? 400).send(errorBody(mapped.code, mapped.message));
      return;
    }
    request.log.error({ err: error }, 'request failed');
    void reply.status(500).send(errorBody('INTERNAL', 'The server hit an unexpected error; it was logged. Try again.'));
  });
}
