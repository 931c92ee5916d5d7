import type { z } from 'zod';
import { AppError, type FieldError } from './errors';

/** Turns zod issues into per-field messages a form can show next to its inputs. */
export function toFieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    field: issue.path.length > 0 ? issue.path.map(String).join('.') : '(document)',
    message: issue.code === 'unrecognized_keys' ? `Unknown field: ${issue.keys.join(', ')}.` : issue.message,
  }));
}

/** Parses `value` with `schema` or throws a VALIDATION error listing every bad field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const fieldErrors = toFieldErrors(result.error);
  const summary = fieldErrors.map((e) => `${e.field}: ${e.message}`).join(' ');
  throw new AppError('VALIDATION', `${what} is not valid. ${summary}`, fieldErrors);
}
