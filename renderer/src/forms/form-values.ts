import { toFieldErrors } from '../../../shared/validation';
import { entities, type EntityType } from '../../../shared/entities';
import type { FieldError } from '../../../shared/errors';
import { formFieldsOf, PHOTO_FIELDS } from './form-fields';

/** What a form holds while someone types: strings for inputs, lists for chips and pickers. */
export type FormValues = Record<string, string | string[] | boolean>;

/** The form state for a document (or an empty form for a new one). */
export function toFormValues(type: EntityType, document: Record<string, unknown> | null): FormValues {
  const values: FormValues = {};
  for (const field of formFieldsOf(type)) {
    if (field.control.kind === 'photo') {
      values.photoUrl = asString(document?.photoUrl);
      values.photoFile = asString(document?.photoFile);
      values.photoVisible = document?.photoVisible === undefined ? true : Boolean(document.photoVisible);
      continue;
    }
    const value = document?.[field.name];
    if (field.control.kind === 'chips' || (field.control.kind === 'reference' && field.control.many)) {
      values[field.name] = Array.isArray(value) ? value.map(String) : [];
    } else if (field.control.kind === 'boolean') {
      values[field.name] = Boolean(value);
    } else {
      values[field.name] = asString(value);
    }
  }
  return values;
}

function asString(value: unknown): string {
  return value === undefined || value === null ? '' : String(value);
}

/**
 * The fields object the API takes. Empty inputs become absent (optional fields);
 * numbers that do not parse stay text so the shared schema says what is wrong.
 */
export function fromFormValues(type: EntityType, values: FormValues): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const field of formFieldsOf(type)) {
    if (field.control.kind === 'photo') {
      for (const name of PHOTO_FIELDS) {
        const value = values[name];
        if (typeof value === 'boolean') result[name] = value;
        else if (typeof value === 'string' && value.trim() !== '') result[name] = value.trim();
      }
      continue;
    }
    const value = values[field.name];
    if (Array.isArray(value)) result[field.name] = value;
    else if (typeof value === 'boolean') result[field.name] = value;
    else if (typeof value === 'string' && value.trim() !== '') {
      const trimmed = value.trim();
      result[field.name] =
        field.control.kind === 'integer' && /^-?\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : trimmed;
    }
  }
  return result;
}

/** An update's changes: every form field, with emptied optional fields as null (cleared). */
export function toChanges(type: EntityType, values: FormValues): Record<string, unknown> {
  const fields = fromFormValues(type, values);
  const changes: Record<string, unknown> = {};
  for (const field of formFieldsOf(type)) {
    const names = field.control.kind === 'photo' ? PHOTO_FIELDS : [field.name];
    for (const name of names) changes[name] = name in fields ? fields[name] : null;
  }
  return changes;
}

/**
 * Only the fields the user changed from `baseline` (the entry as the form loaded it), so a save
 * never overwrites fields someone else changed meanwhile.
 */
export function changedFields(type: EntityType, values: FormValues, baseline: FormValues): Record<string, unknown> {
  const now = toChanges(type, values);
  const before = toChanges(type, baseline);
  return Object.fromEntries(
    Object.entries(now).filter(([field, value]) => JSON.stringify(value) !== JSON.stringify(before[field])),
  );
}

/** The shared schema's messages for these values, one per field, as the form shows them inline. */
export function validateForm(type: EntityType, values: FormValues): Record<string, string> {
  const parsed = entities[type].fieldsSchema.safeParse(fromFormValues(type, values));
  return parsed.success ? {} : messagesByField(toFieldErrors(parsed.error));
}

/** Groups field errors by top-level field (aliases.2 -> aliases), keeping the first message. */
export function messagesByField(errors: FieldError[]): Record<string, string> {
  const byField: Record<string, string> = {};
  for (const error of errors) {
    const field = error.field.split('.')[0] ?? error.field;
    const key = PHOTO_FIELDS.includes(field) ? 'photo' : field;
    byField[key] ??= error.message;
  }
  return byField;
}
