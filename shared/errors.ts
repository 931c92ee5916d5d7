/**
 * Error codes that cross process boundaries (tRPC, HTTP). Each boundary maps
 * them once; messages are written for the person who has to act on them.
 */
export const ERROR_CODES = [
  'VALIDATION',
  'NOT_FOUND',
  'CONFLICT',
  'REFERENCED',
  'FORBIDDEN',
  'UNAUTHORIZED',
  'CONFIRMATION_REQUIRED',
  'BAD_FILE',
  'RATE_LIMITED',
  'UPGRADE_REQUIRED',
  'RESYNC_REQUIRED',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface FieldError {
  field: string;
  message: string;
}

/**
 * One field of a refused update (`CONFLICT`): the caller started from `base`
 * and wants `yours`, but the entry now holds `stored`, written by `changedBy`
 * (when known) at `changedAt`. Values are as the API takes them (null: empty).
 */
export interface FieldConflict {
  field: string;
  base: unknown;
  yours: unknown;
  stored: unknown;
  changedBy: { id: string; name: string } | null;
  changedAt: string | null;
}

/** The plain shape of an error once it has crossed a boundary. */
export interface AppErrorShape {
  code: ErrorCode;
  message: string;
  fieldErrors?: FieldError[];
  conflicts?: FieldConflict[];
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fieldErrors: FieldError[] | undefined;
  /** For a refused update: the fields someone else changed meanwhile, with both values. */
  readonly conflicts: FieldConflict[] | undefined;

  constructor(code: ErrorCode, message: string, fieldErrors?: FieldError[], conflicts?: FieldConflict[]) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.fieldErrors = fieldErrors;
    this.conflicts = conflicts;
  }

  toShape(): AppErrorShape {
    return {
      code: this.code,
      message: this.message,
      ...(this.fieldErrors ? { fieldErrors: this.fieldErrors } : {}),
      ...(this.conflicts ? { conflicts: this.conflicts } : {}),
    };
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
