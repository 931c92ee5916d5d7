import type { MangoQuerySelector } from 'rxdb';
import { ENTITY_TYPES, entities, type EntityDocument, type EntityType } from '../../shared/entities/registry';
import { AppError } from '../../shared/errors';
import { IN_TRASH, LIVE, type DocumentData } from '../database';
import type { ServiceContext } from './context';
import { durationRanges, filterSelector, type FilterValue } from './list-filters';
import { isDurationField, listInSql } from './list-sql';
import type { TrashState } from './view-schema';

export type { ContainsFilter, FilterValue, RangeFilter } from './list-filters';

export type SortDirection = 'asc' | 'desc';

export interface ListInput {
  type: EntityType;
  /** `live` (default) lists what is not in the trash; `trash` lists only trashed entries; `all` both. */
  view?: TrashState;
  sort?: { field: string; direction: SortDirection };
  /** Per field: a value, any of a list of values, a range (dates, numbers, durations) or `{ contains }` (text); all must hold. */
  filters?: Record<string, FilterValue>;
  cursor?: string | null;
  limit?: number;
}

export interface ListPage<T extends EntityType = EntityType> {
  items: EntityDocument<T>[];
  nextCursor: string | null;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/** Fields a list can sort by: the type's list columns and the envelope times. */
export function sortableFields(type: EntityType): string[] {
  return [...entities[type].listColumns.map((c) => c.field as string), 'updatedAt', 'createdAt', 'deletedAt'];
}

/** Refuses a sort field the list cannot sort by, naming the ones it can. */
export function assertSortable(type: EntityType, field: string): void {
  if (sortableFields(type).includes(field)) return;
  throw new AppError(
    'VALIDATION',
    `Cannot sort ${entities[type].pluralLabel.toLowerCase()} by "${field}". Sort by one of: ${sortableFields(type).join(', ')}.`,
    [{ field: 'sort', message: `Unknown sort field "${field}".` }],
  );
}

interface Cursor {
  field: string;
  direction: SortDirection;
  value: unknown;
  id: string;
}

/**
 * One page of a list, by keyset: the cursor holds the sort value and id of the
 * last row, so pages stay stable while entries are added or removed.
 */
export async function listEntities(ctx: ServiceContext, input: ListInput): Promise<ListPage> {
  const { type } = input;
  const view = input.view ?? 'live';
  const sort = input.sort ?? defaultSort(type, view);
  assertSortable(type, sort.field);
  const limit = Math.min(Math.max(input.limit ?? DEFAULT_PAGE_SIZE, 1), MAX_PAGE_SIZE);
  const filters = filterSelector(type, input.filters ?? {});
  const after = input.cursor ? decodeCursor(input.cursor, sort) : undefined;
  const ranges = durationRanges(type, input.filters ?? {});
  let found: EntityDocument[];
  if (ranges.length > 0 || isDurationField(type, sort.field)) {
    // Durations by length: an order Mango cannot express (see list-sql.ts).
    found = await listInSql(ctx, { type, view, sort, selector: filters, ranges, after, limit: limit + 1 });
  } else {
    const selector: MangoQuerySelector<DocumentData> = { ...TRASH_SELECTORS[view], ...filters };
    if (after) Object.assign(selector, afterCursor(type, after, sort.field in filters));
    const documents = await ctx.database.entities[type]
      .find({
        selector,
        sort: [{ [sort.field]: sort.direction }, { id: sort.direction }],
        limit: limit + 1,
        index: Object.keys(filters).length === 0 && view !== 'all' ? sortIndex(type, sort.field) : undefined,
      })
      .exec();
    found = documents.map((doc) => doc.toJSON() as EntityDocument);
  }
  const items = found.slice(0, limit);
  const last = items[items.length - 1] as DocumentData | undefined;
  const nextCursor =
    found.length > limit && last ? encodeCursor({ ...sort, value: last[sort.field], id: last.id as string }) : null;
  return { items, nextCursor };
}

/**
 * Without filters, the index that gives the sort order, so the first page is
 * read in order and the scan stops early. With filters, RxDB's planner may
 * prefer a filtered field's index (fewer rows, sorted afterwards).
 */
function sortIndex(type: EntityType, field: string): string[] | undefined {
  if (field === 'deletedAt') return ['deletedAt', 'id'];
  if (field === 'updatedAt') return ['updatedAt', 'id'];
  if (entities[type].listColumns.some((column) => column.field === field)) return ['deletedAt', field, 'id'];
  return undefined;
}

const TRASH_SELECTORS: Record<TrashState, MangoQuerySelector<DocumentData>> = { live: LIVE, trash: IN_TRASH, all: {} };

function defaultSort(type: EntityType, view: TrashState): { field: string; direction: SortDirection } {
  if (view === 'trash') return { field: 'deletedAt', direction: 'desc' };
  return { field: entities[type].listColumns[0]!.field as string, direction: 'asc' };
}

/**
 * The selector for rows after the cursor row in (field, id) order.
 * NOTE: optional fields may be absent; absent values sort first ascending and
 * last descending, so the cursor row's own absence needs its own clause.
 */
function afterCursor(type: EntityType, cursor: Cursor, fieldFiltered: boolean): DocumentData {
  const { field, value, id } = cursor;
  const asc = cursor.direction === 'asc';
  const after = asc ? '$gt' : '$lt';
  if (value === undefined || value === null) {
    return asc
      ? { $or: [{ [field]: { $exists: false }, id: { $gt: id } }, { [field]: { $exists: true } }] }
      : { [field]: { $exists: false }, id: { $lt: id } };
  }
  const or: DocumentData[] = [{ [field]: { [after]: value } }, { [field]: value, id: { [after]: id } }];
  if (!asc && isOptional(type, field)) or.push({ [field]: { $exists: false } });
  const clause: DocumentData = { $or: or };
  // A top-level bound lets the query planner scan only the index range after the cursor.
  if (asc && !fieldFiltered) clause[field] = { $gte: value };
  if (!asc && !fieldFiltered && !isOptional(type, field)) clause[field] = { $lte: value };
  return clause;
}

function isOptional(type: EntityType, field: string): boolean {
  const schema = (entities[type].fields as Record<string, { safeParse(v: unknown): { success: boolean } }>)[field];
  return schema ? schema.safeParse(undefined).success : false;
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(raw: string, sort: { field: string; direction: SortDirection }): Cursor {
  let cursor: Cursor | undefined;
  try {
    cursor = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Cursor;
  } catch {
    cursor = undefined;
  }
  if (!cursor || typeof cursor.id !== 'string' || cursor.field !== sort.field || cursor.direction !== sort.direction) {
    throw new AppError(
      'VALIDATION',
      'This page cursor does not match the list and its sort order. Load the first page again.',
      [{ field: 'cursor', message: 'Stale or foreign cursor.' }],
    );
  }
  return cursor;
}

export async function countsPerType(ctx: ServiceContext): Promise<Record<EntityType, { live: number; trash: number }>> {
  const entries = await Promise.all(
    ENTITY_TYPES.map(async (type) => {
      const collection = ctx.database.entities[type];
      const [live, trash] = await Promise.all([
        collection.count({ selector: LIVE }).exec(),
        collection.count({ selector: IN_TRASH }).exec(),
      ]);
      return [type, { live, trash }] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<EntityType, { live: number; trash: number }>;
}
