import { getQueryMatcher, type MangoQuerySelector } from 'rxdb';
import {
  ENTITY_TYPES,
  entities,
  isDurationField,
  type EntityDocument,
  type EntityType,
} from '../../shared/entities/registry';
import type { DocumentData } from '../database';
import { indexStringMonad, quoteIdentifier, type SqliteInternals } from '../storage';
import type { ServiceContext } from './context';
import { ensureTableIndexes } from './table-indexes';
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

/**
 * The length in seconds of a duration text (`H:MM:SS` or `MM:SS`, see
 * shared/validators.ts) in SQL; NULL when the text is NULL. The one place
 * durations become numbers: it orders rows, is indexed, and reads range
 * ends and cursors (bound as text), so all of them agree.
 */
export function durationSeconds(text: string): string {
  // Seconds are always the last two characters; before ":SS" is "H:MM" or "MM".
  const head = `substr(${text}, 1, length(${text}) - 3)`;
  return (
    `(CAST(substr(${text}, -2) AS INTEGER)` +
    ` + 60 * CAST(substr(${head}, instr(${head}, ':') + 1) AS INTEGER)` +
    ` + 3600 * CAST(substr(${head}, 1, instr(${head}, ':') - 1) AS INTEGER))`
  );
}

const sqlText = (value: string) => `'${value.replace(/'/g, "''")}'`;
const fieldOf = (field: string) => `json_extract(data, ${sqlText(`$.${field}`)})`;
const LIVE_SQL = `(json_extract(data, '$.deletedAt') IS NULL)`;

/**
 * Builds the duration indexes of every entity type that has a duration
 * field (a no-op once they exist: CREATE INDEX IF NOT EXISTS). The core's
 * open awaits it, so the first duration-sorted list never builds one: at
 * 100,000 videos that took ~6 s with the app blocked (better-sqlite3 runs on
 * the main thread). Paid once per profile, when the index is first missing.
 */
export async function prepareDurationIndexes(ctx: ServiceContext): Promise<void> {
  for (const type of ENTITY_TYPES) {
    if (!Object.keys(entities[type].fields).some((field) => isDurationField(type, field))) continue;
    const { file, table } = ctx.database.entities[type].storageInstance.internals as SqliteInternals;
    await ensureDurationIndexes(file, table.name, type);
  }
}

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
 * the collection's table, in index order (see sortOrder); the remaining
 * filters are checked with RxDB's own matcher, and the page's documents are
 * then read through RxDB like any list. Needs no stored field and so no
 * schema version (see docs/decisions.md).
 */
export async function listInSql(ctx: ServiceContext, query: SqlListQuery): Promise<EntityDocument[]> {
  const { type } = query;
  const collection = ctx.database.entities[type];
  const { file, table } = collection.storageInstance.internals as SqliteInternals;
  // Built at open (prepareDurationIndexes); this only checks, unless the table was recreated since.
  await ensureDurationIndexes(file, table.name, type);

  const where = ['deleted = 0'];
  const params: Record<string, unknown> = {};
  const order = sortOrder(table, query);
  if (query.view !== 'all') {
    where.push(`${order.unindexed}${LIVE_SQL} = @live`);
    params.live = query.view === 'live' ? 1 : 0;
  }
  query.ranges.forEach((range, i) => {
    for (const [end, operator] of [
      ['from', '>='],
      ['to', '<='],
    ] as const) {
      if (range[end] === undefined) continue;
      const length = durationSeconds(fieldOf(range.field));
      where.push(`${order.unindexed}${length} ${operator} ${durationSeconds(`@${end}${i}`)}`);
      params[`${end}${i}`] = range[end];
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

interface SortOrder {
  by: string;
  /**
   * `+` when the order comes from an index column: a unary plus keeps SQLite from
   * using the duration index for the filters and sorting all the matches instead.
   */
  unindexed: '' | '+';
  /** The condition for the rows after the cursor row, and its parameters. */
  after(cursor: { value: unknown; id: string }): { sql: string; params: Record<string, unknown> };
}

/**
 * Durations by their length in seconds; other fields (a duration range sorted
 * by title) by the storage's index column of that sort, as RxDB lists read
 * it, so the scan stops at the page's end and ties and absent values fall as
 * in any list; a field without such an index by its value.
 */
function sortOrder(table: SqliteInternals['table'], { type, view, sort }: SqlListQuery): SortOrder {
  const direction = sort.direction === 'asc' ? 'ASC' : 'DESC';
  const beyond = sort.direction === 'asc' ? '>' : '<';
  // RxDB puts `_deleted` before the fields of every index it declares.
  const index = (view === 'live' ? [['_deleted', 'deletedAt', sort.field, 'id']] : [])
    .concat([['_deleted', sort.field, 'id']])
    .find((fields) => table.columnFor(fields));
  if (!isDurationField(type, sort.field) && index) {
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
  const key = (value: string) => (isDurationField(type, sort.field) ? durationSeconds(value) : value);
  const column = key(fieldOf(sort.field));
  return {
    by: `${column} ${direction}, id ${direction}`,
    unindexed: '',
    after: ({ value, id }) => ({
      sql: afterRow(column, key('@value'), value === undefined || value === null, sort.direction),
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

/** An index per duration field: live or trashed, then length, then id, as the lists read them. */
function ensureDurationIndexes(file: SqliteInternals['file'], tableName: string, type: EntityType): Promise<void> {
  const fields = Object.keys(entities[type].fields).filter((name) => isDurationField(type, name));
  return ensureTableIndexes(
    file,
    tableName,
    fields.map((field) => ({
      name: `${tableName}__${field}_seconds`,
      on: `${LIVE_SQL}, ${durationSeconds(fieldOf(field))}, id`,
    })),
  );
}
