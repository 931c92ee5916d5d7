import type { OrderColumn } from '../order-column';
import { ENTITY_TYPES, entities, isDurationField, type EntityType } from './registry';

/**
 * The order of an entity type's duration field by length, as a string per entry: what the local storage
 * keeps in a column of its own, with an SQL index, for lists sorted or filtered by duration
 * (main/services/list-sql.ts). The one place durations become numbers: the rows, range ends and cursors
 * are all encoded here, so they agree.
 *
 * The string is a view mark, the length, then the id:
 * - `LIVE` for an entry out of the trash, `TRASHED` for one in it, so each view is one range of the index;
 * - for an entry with no duration `NO_LENGTH`, below every digit, so those entries come first ascending
 *   and last descending, as absent values do in every list; else the length in seconds as
 *   `LENGTH_DIGITS` digits;
 * - the id, which orders entries of the same length and makes every string unique.
 * NOTE: a column rather than an SQL expression index over the stored JSON. SQLite evaluates such an
 * expression for the old and the new row of every UPDATE, whose JSON always changes, and rewrites the
 * entry: an edit of a title paid ~27 µs and a page of its flushed commit for an index it left as it was
 * (docs/decisions.md, "Durations ordered by a column of their own"). A column is written only when its
 * string changes.
 */
export const DURATION_ORDER = {
  LIVE: 'L',
  TRASHED: 'T',
  NO_LENGTH: '!',
} as const;

/** Digits of a length: a duration has at most 12 characters (shared/validators.ts), under 10^10 seconds. */
const LENGTH_DIGITS = 10;
const LONGEST = 10 ** LENGTH_DIGITS - 1;

/** The key of a duration field's order column among the storage's index columns (never a field list). */
export function durationOrderKey(field: string): string {
  return `order:${field}-seconds`;
}

/**
 * The length in seconds of a duration text (`H:MM:SS` or `MM:SS`, see shared/validators.ts): the last two
 * characters are the seconds, before ":SS" is "H:MM" or "MM". A part that is no number counts 0.
 */
export function durationSeconds(text: string): number {
  const head = text.slice(0, -3);
  const colon = head.indexOf(':');
  const seconds =
    part(text.slice(-2)) + 60 * part(head.slice(colon + 1)) + 3600 * (colon > 0 ? part(head.slice(0, colon)) : 0);
  return Math.min(seconds, LONGEST);
}

/** A part of a duration text as a number; 0 if it is none. */
const part = (digits: string) => Number.parseInt(digits, 10) || 0;

/** The length part of an order string: `NO_LENGTH` for no duration, else the padded seconds. */
export function durationLengthPart(value: unknown): string {
  if (typeof value !== 'string') return DURATION_ORDER.NO_LENGTH;
  return digitsOf(durationSeconds(value));
}

/** A length in seconds as the order string writes it: `LENGTH_DIGITS` digits. */
const digitsOf = (seconds: number) => String(seconds).padStart(LENGTH_DIGITS, '0');

/** The least length part of a range from `text` on (no `text`: any length, but not no duration). */
export function lengthPartFrom(text: string | undefined): string {
  return text === undefined ? '0' : durationLengthPart(text);
}

/** A length part above those of every length up to `text`'s and below longer ones: a range's end, exclusive. */
export function lengthPartAbove(text: string): string {
  const seconds = durationSeconds(text);
  // ':' sorts right after the digits.
  return seconds >= LONGEST ? ':' : digitsOf(seconds + 1);
}

/** The view mark of a document: out of the trash or in it. */
export function durationViewMark(document: Record<string, unknown>): string {
  return document.deletedAt === null || document.deletedAt === undefined ? DURATION_ORDER.LIVE : DURATION_ORDER.TRASHED;
}

/** The order string of `document` by its duration `field`. */
export function durationOrderString(field: string, document: Record<string, unknown>): string {
  return durationViewMark(document) + durationLengthPart(document[field]) + String(document.id);
}

/**
 * The order columns of an entity type's local table, one per duration field: the storage's
 * `SqliteInstanceOptions.orderColumns`.
 */
export function durationOrderColumns(type: EntityType): OrderColumn[] {
  return durationFields(type).map((field) => ({
    key: durationOrderKey(field),
    encode: (document) => durationOrderString(field, document),
  }));
}

/** The duration fields of an entity type. */
export function durationFields(type: EntityType): string[] {
  return Object.keys(entities[type].fields).filter((field) => isDurationField(type, field));
}

/** The entity types with a duration field. */
export function typesWithDurations(): EntityType[] {
  return ENTITY_TYPES.filter((type) => durationFields(type).length > 0);
}
