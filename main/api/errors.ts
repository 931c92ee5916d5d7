import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/unstable-core-do-not-import';
import { ZodError } from 'zod';
import { AppError, type ErrorCode, type FieldConflict, type FieldError } from '../../shared/errors';
import { describeFieldErrors, toFieldErrors } from '../../shared/validation';

/** The one mapping from app error codes to tRPC codes (and so to HTTP statuses). */
const TRPC_CODES: Record<ErrorCode, TRPC_ERROR_CODE_KEY> = {
  VALIDATION: 'BAD_REQUEST',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  REFERENCED: 'CONFLICT',
  FORBIDDEN: 'FORBIDDEN',
  UNAUTHORIZED: 'UNAUTHORIZED',
  CONFIRMATION_REQUIRED: 'PRECONDITION_FAILED',
  BAD_FILE: 'UNPROCESSABLE_CONTENT',
  RATE_LIMITED: 'TOO_MANY_REQUESTS',
  UPGRADE_REQUIRED: 'PRECONDITION_FAILED',
  RESYNC_REQUIRED: 'PRECONDITION_FAILED',
  INTERNAL: 'INTERNAL_SERVER_ERROR',
};

/** The app error behind anything a procedure threw; input that failed its schema is a VALIDATION error. */
export function toAppError(error: unknown): AppError {
  const cause = error instanceof TRPCError && error.cause ? error.cause : error;
  if (cause instanceof AppError) return cause;
  if (cause instanceof ZodError) {
    const fieldErrors = toFieldErrors(cause).map(withoutInputPrefix);
    return new AppError('VALIDATION', `The request is not valid. ${describeFieldErrors(fieldErrors)}`, fieldErrors);
  }
  if (error instanceof TRPCError && error.code !== 'INTERNAL_SERVER_ERROR') {
    return new AppError(error.code === 'NOT_FOUND' ? 'NOT_FOUND' : 'VALIDATION', error.message);
  }
  return new AppError(
    'INTERNAL',
    'Something went wrong inside Curio. Try again; if it keeps happening, report it with the log.',
  );
}

export function toTRPCError(error: unknown): TRPCError {
  const appError = toAppError(error);
  // Unexpected errors keep their original cause for the logs.
  const cause = appError.code === 'INTERNAL' ? (error instanceof TRPCError ? (error.cause ?? error) : error) : appError;
  const mapped = new TRPCError({ code: TRPC_CODES[appError.code], message: appError.message, cause: cause as Error });
  (mapped as TRPCError & { appError: AppError }).appError = appError;
  return mapped;
}

/** What `error.data` carries to the client beyond tRPC's own fields. */
export interface AppErrorData {
  appCode: ErrorCode;
  fieldErrors: FieldError[] | null;
  /** A refused update's fields with both values (code CONFLICT from `entities.update`). */
  conflicts: FieldConflict[] | null;
}

export function appErrorData(error: TRPCError): AppErrorData {
  const appError = (error as TRPCError & { appError?: AppError }).appError ?? toAppError(error);
  return { appCode: appError.code, fieldErrors: appError.fieldErrors ?? null, conflicts: appError.conflicts ?? null };
}

/** Form fields are nested under `fields` in entity inputs; the form wants the field name alone. */
function withoutInputPrefix(error: FieldError): FieldError {
  return { ...error, field: error.field.replace(/^fields\./, '') };
}
