import type { z } from 'zod';
import { AppError, type FieldError } from './errors';
import { humanize } from './readable/field-labels';

/** The field error of a problem with the whole document rather than one field. */
const DOCUMENT = '(document)';

/** Turns zod issues into per-field messages a form can show next to its inputs. */
export function toFieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    field: issue.path.length > 0 ? issue.path.map(String).join('.') : DOCUMENT,
    message: issue.code === 'unrecognized_keys' ? `Unknown field: ${issue.keys.join(', ')}.` : issue.message,
  }));
}

/** Names a top-level field as people read it: an entity's `fieldLabel`, or `humanize` for other shapes. */
export type LabelOf = (field: string) => string;

/**
 * A field error's path as people read it: the field's label, then what inside it ("Aliases, item 2",
 * "Created by, id"). Null for a problem with the whole document.
 */
function pathLabel(field: string, labelOf: LabelOf): string | null {
  if (field === DOCUMENT) return null;
  const [top = field, ...inner] = field.split('.');
  const within = inner.map((part) => (/^\d+$/.test(part) ? `item ${Number(part) + 1}` : humanize(part).toLowerCase()));
  return [labelOf(top), ...within].join(', ');
}

/**
 * The field errors in one line, each field named by its label as forms show it, not by its key:
 * "Name: Name is required. YouTube id: YouTube id must be exactly 11 characters …".
 */
export function describeFieldErrors(errors: FieldError[], labelOf: LabelOf = humanize): string {
  return errors
    .map((error) => {
      const label = pathLabel(error.field, labelOf);
      // zod's own messages ("Invalid input: expected string, …") end without a full stop.
      const sentence = /[.!?]$/.test(error.message) ? error.message : `${error.message}.`;
      return label ? `${label}: ${sentence}` : sentence;
    })
    .join(' ');
}

/**
 * Parses `value` with `schema` or throws a VALIDATION error listing every bad field. The message names
 * fields by `labelOf` (an entity's are `fieldLabel(type, field)`); the field errors keep the keys, for forms.
 */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what: string,
  labelOf: LabelOf = humanize,
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const fieldErrors = toFieldErrors(result.error);
  throw new AppError('VALIDATION', `${what} is not valid. ${describeFieldErrors(fieldErrors, labelOf)}`, fieldErrors);
}
