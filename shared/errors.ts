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
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface FieldError {
  field: string;
  message: string;
}

/** The plain shape of an error once it has crossed a boundary. */
export interface AppErrorShape {
  code: ErrorCode;
  message: string;
  fieldErrors?: FieldError[];
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fieldErrors: FieldError[] | undefined;

  constructor(code: ErrorCode, message: string, fieldErrors?: FieldError[]) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.fieldErrors = fieldErrors;
  }

  toShape(): AppErrorShape {
    return { code: this.code, message: this.message, ...(this.fieldErrors ? { fieldErrors: this.fieldErrors } : {}) };
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
