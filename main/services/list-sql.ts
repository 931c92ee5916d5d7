import { getQueryMatcher, type MangoQuerySelector } from 'rxdb';
import {
  DURATION_ORDER,
  durationLengthPart,
  durationOrderKey,
  lengthPartAbove,
  lengthPartFrom,
} from '../../shared/entities/duration-order';
import { isDurationField, type EntityDocument, type EntityType } from '../../shared/entities/registry';
import type { DocumentData } from '../database';
import { indexStringMonad, quoteIdentifier, type SqliteInternals } from '../storage';
import type { ServiceContext } from './context';
import type { TrashState } from './view-schema';

/** A duration range, both ends included, each a duration text ("30:00", "1:00:00"). */
export interface DurationRange {
  field: string;
  from?: string;
  to?: string;
}

export interface SqlListQuery {
  type: EntityType;
  view: TrashState;
  sort: { field: string; direction: 'asc' | 'desc' };
  /** The other filters, as Mango: checked on each row read in order. */
  selector: MangoQuerySelector<DocumentData>;
  ranges: DurationRange[];
  /** The sort value and id of the row to continue after. */
  after?: { value: unknown; id: string };
  limit: number;
}

export { isDurationField };

const sqlText = (value: string) => `'${value.replace(/'/g, "''")}'`;
const fieldOf = (field: string) => `json_extract(data, ${sqlText(`$.${field}`)})`;
const LIVE_SQL = `(json_extract(data, '$.deletedAt') IS NULL)`;

/**
 * The ids of the live entries of `type`, by id, in one read statement: what the whole type holds at one
 * moment (SQLite reads from a snapshot), without parsing a document or holding back a write.
 */
export function liveIdsInSql(ctx: ServiceContext, type: EntityType): string[] {
  const { file, table } = ctx.database.entities[type].storageInstance.internals as SqliteInternals;
  return file
    .readConnection()
    .prepare(`SELECT id FROM ${quoteIdentifier(table.name)} WHERE deleted = 0 AND ${LIVE_SQL} ORDER BY id`)
    .pluck()
    .all() as string[];
}

/**
 * One page of a list in an order RxDB cannot give: durations by length (they
 * are stored as the text people type, "13:10" < "3:05"). Read in SQL from
 * the collection's table, in index order (see sortOrder): by a duration in the
 * order of its column (shared/entities/duration-order.ts), whose view mark
 * also keeps to the live entries or the trash; the duration ranges are ranges
 * of that column. The remaining filters are checked with RxDB's own matcher,
 * and the page's documents are then read through RxDB like any list. Needs no
 * stored field and so no schema version (see docs/decisions.md).
 */
export async function listInSql(ctx: ServiceContext, query: SqlListQuery): Promise<EntityDocument[]> {
  const { type, view } = query;
  const collection = ctx.database.entities[type];
  const { file, table } = collection.storageInstance.internals as SqliteInternals;
  const where = ['deleted = 0'];
  const params: Record<string, unknown> = {};
  const order = sortOrder(table, query);
  const mark = viewMark(view);
  if (mark && isDurationField(type, query.sort.field)) {
    // The view's range of the column: the scan in its order reads no other view's entries.
    const column = durationColumn(table, query.sort.field);
    where.push(`${column} > @view`, `${column} < @beyondView`);
    Object.assign(params, { view: mark, beyondView: beyondMark(mark) });
  } else if (mark && query.ranges.length === 0) {
    where.push(`${order.unindexed}${LIVE_SQL} = @live`);
    params.live = view === 'live' ? 1 : 0;
  }
  query.ranges.forEach((range, i) => {
    // Without a view mark (both views) the length part alone, which no index holds in order.
    const length = mark
      ? `${order.unindexed}${durationColumn(table, range.field)}`
      : lengthOf(durationColumn(table, range.field));
    where.push(`${length} >= @from${i}`);
    params[`from${i}`] = (mark ?? '') + lengthPartFrom(range.from);
    if (range.to !== undefined) {
      where.push(`${length} < @to${i}`);
      params[`to${i}`] = (mark ?? '') + lengthPartAbove(range.to);
    } else if (mark) {
      where.push(`${length} < @to${i}`);
      params[`to${i}`] = beyondMark(mark);
    }
  });
  if (query.after) {
    const after = order.after(query.after);
    where.push(after.sql);
    Object.assign(params, after.params);
  }

  const matches =
    Object.keys(query.selector).length > 0
      ? getQueryMatcher(collection.schema.jsonSchema, { selector: query.selector, sort: [], skip: 0 } as never)
      : undefined;
  // The documents are read (and parsed) only when other filters need them.
  const sql = `SELECT id${matches ? ', data' : ''} FROM ${quoteIdentifier(table.name)} WHERE ${where.join(' AND ')} ORDER BY ${order.by}`;
  const ids: string[] = [];
  // In order: stop as soon as the page is full.
  for (const row of file.readConnection().prepare(sql).iterate(params) as Iterable<{ id: string; data: string }>) {
    if (!matches || matches(JSON.parse(row.data) as never)) ids.push(row.id);
    if (ids.length >= query.limit) break;
  }
  const found = await collection.findByIds(ids).exec();
  return ids.flatMap((id) => {
    const doc = found.get(id);
    return doc ? [doc.toJSON() as EntityDocument] : [];
  });
}

/** The view mark the order strings of `view` begin with; none for both views. */
function viewMark(view: TrashState): string | undefined {
  if (view === 'all') return undefined;
  return view === 'live' ? DURATION_ORDER.LIVE : DURATION_ORDER.TRASHED;
}

/** The least string above every order string of view `mark`: the end of the view's range of the column. */
const beyondMark = (mark: string) => String.fromCharCode(mark.charCodeAt(0) + 1);

/** The storage's order column of duration `field` (the storage adds it at open). */
function durationColumn(table: SqliteInternals['table'], field: string): string {
  const column = table.columnFor([durationOrderKey(field)]);
  if (!column) throw new Error(`The table ${table.name} keeps no order column for the duration "${field}".`);
  return column;
}

/** An order string without its view mark: the length part and the id. */
const lengthOf = (column: string) => `substr(${column}, 2)`;

interface SortOrder {
  by: string;
  /**
   * `+` when the order comes from another index column: a unary plus keeps SQLite from
   * using a duration's index for the ranges and sorting all the matches instead.
   */
  unindexed: '' | '+';
  /** The condition for the rows after the cursor row, and its parameters. */
  after(cursor: { value: unknown; id: string }): { sql: string; params: Record<string, unknown> };
}

/**
 * Durations by their order column (length, then id); other fields (a duration
 * range sorted by title) by the storage's index column of that sort, as RxDB
 * lists read it, so the scan stops at the page's end and ties and absent
 * values fall as in any list; a field without such an index by its value.
 */
function sortOrder(table: SqliteInternals['table'], { type, view, sort }: SqlListQuery): SortOrder {
  const direction = sort.direction === 'asc' ? 'ASC' : 'DESC';
  const beyond = sort.direction === 'asc' ? '>' : '<';
  if (isDurationField(type, sort.field)) {
    const mark = viewMark(view);
    const column = durationColumn(table, sort.field);
    const ordered = mark ? column : lengthOf(column);
    return {
      by: `${ordered} ${direction}`,
      unindexed: '',
      after: ({ value, id }) => ({
        sql: `${ordered} ${beyond} @after`,
        params: { after: (mark ?? '') + durationLengthPart(value) + id },
      }),
    };
  }
  // RxDB puts `_deleted` before the fields of every index it declares.
  const index = (view === 'live' ? [['_deleted', 'deletedAt', sort.field, 'id']] : [])
    .concat([['_deleted', sort.field, 'id']])
    .find((fields) => table.columnFor(fields));
  if (index) {
    const column = table.columnFor(index)!;
    const indexString = indexStringMonad(table.schema, index);
    return {
      by: `${column} ${direction}`,
      unindexed: '+',
      after: ({ value, id }) => ({
        sql: `${column} ${beyond} @after`,
        params: { after: indexString({ [sort.field]: value, id, deletedAt: null, _deleted: false } as never) },
      }),
    };
  }
  const column = fieldOf(sort.field);
  return {
    by: `${column} ${direction}, id ${direction}`,
    unindexed: '',
    after: ({ value, id }) => ({
      sql: afterRow(column, '@value', value === undefined || value === null, sort.direction),
      params: value === undefined || value === null ? { id } : { value, id },
    }),
  };
}

/**
 * Rows after the cursor row in (key, id) order. SQLite puts NULL (an absent
 * value) first ascending and last descending, as RxDB lists do.
 */
function afterRow(column: string, value: string, absent: boolean, direction: 'asc' | 'desc'): string {
  const asc = direction === 'asc';
  if (absent)
    return asc ? `((${column} IS NULL AND id > @id) OR ${column} IS NOT NULL)` : `(${column} IS NULL AND id < @id)`;
  const beyond = asc ? '>' : '<';
  const next = `${column} ${beyond} ${value} OR (${column} = ${value} AND id ${beyond} @id)`;
  return asc ? `(${next})` : `(${next} OR ${column} IS NULL)`;
}
