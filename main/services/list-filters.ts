import { entities, type EntityType } from '../../shared/entities/registry';
import { AppError } from '../../shared/errors';
import { duration } from '../../shared/validators';
import type { DocumentData } from '../database';
import { isDurationField, type DurationRange } from './list-sql';
import { fieldKinds } from './row-format';

/** Both ends included; either may be left out. Dates may be a year (`2025`) or a month (`2025-03`). */
export interface RangeFilter {
  from?: string | number;
  to?: string | number;
}

/** Text fields (and text lists, such as aliases): the value appears anywhere, case ignored. */
export interface ContainsFilter {
  contains: string;
}

/** One value; a list matches any of its values (on list fields, "contains"); or a range, or "contains" text. */
export type FilterValue = string | number | boolean | (string | number)[] | RangeFilter | ContainsFilter;

const PARTIAL_DATE = /^\d{4}(-\d{2}(-\d{2})?)?$/;

/** The Mango selector of a list's filters; every filter must hold. Duration ranges are left to `durationRanges`. */
export function filterSelector(type: EntityType, filters: Record<string, FilterValue>): DocumentData {
  const fields = entities[type].fields as Record<string, unknown>;
  const selector: DocumentData = {};
  for (const [field, value] of Object.entries(filters)) {
    if (!(field in fields)) {
      throw new AppError(
        'VALIDATION',
        `${entities[type].pluralLabel} have no field "${field}" to filter by. Use one of: ${Object.keys(fields).join(', ')}.`,
        [{ field: 'filters', message: `Unknown field "${field}".` }],
      );
    }
    if (Array.isArray(value)) selector[field] = { $in: value };
    else if (isDurationField(type, field) && typeof value === 'object' && !('contains' in value)) continue;
    else if (typeof value !== 'object') selector[field] = value;
    else if ('contains' in value) selector[field] = containsSelector(type, field, value.contains);
    else selector[field] = rangeSelector(type, field, value);
  }
  return selector;
}

function containsSelector(type: EntityType, field: string, text: string): DocumentData {
  const kind = fieldKinds(type)[field];
  if (kind !== 'string' && kind !== 'list') refuse(type, field, '"contains" applies to text fields only.');
  return { $regex: text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), $options: 'i' };
}

/**
 * The duration ranges among the filters ("longer than 30 minutes": `{ from: '30:00' }`).
 * NOTE: durations are stored as the text people type ("13:10" sorts before "3:05"), which
 * Mango compares as text; lists apply these ranges in SQL by length (list-sql.ts), and
 * `filterSelector` leaves them out.
 */
export function durationRanges(type: EntityType, filters: Record<string, FilterValue>): DurationRange[] {
  const ranges: DurationRange[] = [];
  for (const [field, value] of Object.entries(filters)) {
    if (!isDurationField(type, field) || typeof value !== 'object' || Array.isArray(value) || 'contains' in value)
      continue;
    for (const end of [value.from, value.to]) {
      if (end !== undefined && (typeof end !== 'string' || !duration.safeParse(end).success))
        refuse(type, field, 'duration ends are written H:MM:SS or MM:SS, for example 30:00 or 1:02:03.');
    }
    ranges.push({ field, from: value.from as string | undefined, to: value.to as string | undefined });
  }
  return ranges;
}

/** Numbers compare as numbers and ISO dates as text (which is date order). */
function rangeSelector(type: EntityType, field: string, range: RangeFilter): DocumentData {
  const kind = fieldKinds(type)[field];
  const bounds: DocumentData = {};
  if (kind === 'number') {
    for (const [end, operator] of [
      ['from', '$gte'],
      ['to', '$lte'],
    ] as const) {
      const value = range[end];
      if (value === undefined) continue;
      if (typeof value !== 'number') refuse(type, field, `"${end}" must be a number.`);
      bounds[operator] = value;
    }
    return bounds;
  }
  if (!isDateField(type, field)) refuse(type, field, 'ranges apply to dates and numbers only.');
  const { from, to } = range;
  for (const value of [from, to]) {
    if (value !== undefined && (typeof value !== 'string' || !PARTIAL_DATE.test(value)))
      refuse(type, field, 'dates in a range are written YYYY, YYYY-MM or YYYY-MM-DD.');
  }
  // A year or month as the upper end includes all of it: "2025" ends at 2025-12-31.
  if (typeof from === 'string') bounds.$gte = from;
  if (typeof to === 'string') bounds.$lte = to.length === 10 ? to : `${to}-99`;
  return bounds;
}

function isDateField(type: EntityType, field: string): boolean {
  const schema = (entities[type].fields as Record<string, { safeParse(v: unknown): { success: boolean } }>)[field];
  return !!schema && schema.safeParse('2000-01-01').success && !schema.safeParse('2000-13-01').success;
}

function refuse(type: EntityType, field: string, reason: string): never {
  throw new AppError(
    'VALIDATION',
    `Cannot filter ${entities[type].pluralLabel.toLowerCase()} by "${field}": ${reason}`,
    [{ field: 'filters', message: reason }],
  );
}
