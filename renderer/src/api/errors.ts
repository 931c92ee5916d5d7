import { TRPCClientError } from '@trpc/client';
import type { FieldConflict, FieldError } from '../../../shared/errors';

/** The app's error code and message as the API sent them, for showing in words. */
export interface ShownError {
  code: string;
  message: string;
  fieldErrors: FieldError[];
  /** For a refused update (CONFLICT): the fields changed meanwhile, with both values. */
  conflicts: FieldConflict[];
}

/** Reads the app error (code, message, per-field messages) out of whatever a call threw. */
export function toShownError(error: unknown): ShownError {
  if (error instanceof TRPCClientError) {
    const data = (error.data ?? {}) as {
      appCode?: string;
      code?: string;
      fieldErrors?: FieldError[] | null;
      conflicts?: FieldConflict[] | null;
    };
    return {
      code: data.appCode ?? data.code ?? 'INTERNAL',
      message: error.message,
      fieldErrors: data.fieldErrors ?? [],
      conflicts: data.conflicts ?? [],
    };
  }
  return {
    code: 'INTERNAL',
    message: error instanceof Error ? error.message : String(error),
    fieldErrors: [],
    conflicts: [],
  };
}
