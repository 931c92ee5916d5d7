import { getQueryMatcher, getSortComparator, type PreparedQuery, type QueryMatcher } from 'rxdb';
import type { CollectionTable, DocData } from './collection-table';
import { indexRange } from './index-string';
import type { SqliteDatabase } from './sqlite-file';
import { statement } from './statements';

type Query = PreparedQuery<Record<string, unknown>>;

interface SqlPlan {
  /** WHERE clause over the index column with its two bound parameters, or '' for a full scan. */
  where: string;
  params: string[];
  orderBy: string;
  /** Rows in the range all match the selector: no matcher needed. */
  exact: boolean;
  /** Rows come out in the query's sort order: no re-sort needed, and the scan may stop early. */
  sorted: boolean;
}

/**
 * Turns RxDB's query plan into an SQL range over the plan's index column.
 * RxDB's own flags are recomputed for the stored format (see index-string.ts):
 * leading fields pinned to one value, `$eq: null` included, drop out of the
 * order, so `{ deletedAt: null }` sorted by name is an ordered range scan.
 */
export function sqlPlan(table: CollectionTable, query: Query): SqlPlan {
  const plan = query.queryPlan;
  const column = table.columnFor(plan.index);
  if (!column) return { where: '', params: [], orderBy: 'ORDER BY id', exact: false, sorted: false };

  const range = indexRange(table.schema, plan.index, plan.startKeys, plan.endKeys);
  const lower = plan.inclusiveStart ? '>=' : '>';
  const upper = plan.inclusiveEnd ? '<=' : '<';
  const sortFields = query.query.sort.map((part) => Object.keys(part)[0]!);
  const directions = new Set(query.query.sort.map((part) => Object.values(part)[0]));
  const pinned = new Set(plan.index.slice(0, range.pinned));
  const remaining = plan.index.slice(range.pinned);
  const sortRest = sortFields.filter((field) => !pinned.has(field));
  const sameOrder = sortRest.length === remaining.length && sortRest.every((field, i) => field === remaining[i]);
  const descending = directions.size === 1 && directions.has('desc');
  return {
    where: `WHERE ${column} ${lower} ? AND ${column} ${upper} ?`,
    params: [range.lower, range.upper],
    orderBy: `ORDER BY ${column}${descending ? ' DESC' : ''}`,
    exact: range.exact && plan.selectorSatisfiedByIndex,
    sorted: sameOrder && directions.size === 1,
  };
}

export function runQuery(table: CollectionTable, db: SqliteDatabase, query: Query): DocData[] {
  const plan = sqlPlan(table, query);
  const skip = query.query.skip ?? 0;
  const limit = typeof query.query.limit === 'number' ? query.query.limit : Infinity;
  const base = `SELECT data FROM ${table.quoted} ${plan.where} ${plan.orderBy}`;
  if (limit <= 0) return [];

  if (plan.exact && plan.sorted) {
    const sql = `${base} LIMIT ? OFFSET ?`;
    const rows = statement(db, sql)
      .pluck()
      .all(...plan.params, limit === Infinity ? -1 : limit, skip) as string[];
    return rows.map(parse);
  }

  const matcher: QueryMatcher<DocData> | undefined = plan.exact
    ? undefined
    : getQueryMatcher(table.schema, query.query as never);
  const rows = statement(db, base).pluck();
  let found: DocData[] = [];
  if (plan.sorted) {
    const wanted = skip + limit;
    for (const data of rows.iterate(...plan.params) as IterableIterator<string>) {
      const doc = parse(data);
      if (!matcher || matcher(doc)) found.push(doc);
      if (found.length >= wanted) break;
    }
    return found.slice(skip);
  }
  for (const data of rows.iterate(...plan.params) as IterableIterator<string>) {
    const doc = parse(data);
    if (!matcher || matcher(doc)) found.push(doc);
  }
  found = found.sort(getSortComparator(table.schema, query.query as never));
  return found.slice(skip, limit === Infinity ? undefined : skip + limit);
}

export function runCount(table: CollectionTable, db: SqliteDatabase, query: Query): number {
  const plan = sqlPlan(table, query);
  if (plan.exact) {
    return statement(db, `SELECT count(*) FROM ${table.quoted} ${plan.where}`)
      .pluck()
      .get(...plan.params) as number;
  }
  const matcher = getQueryMatcher(table.schema, query.query as never);
  let count = 0;
  const rows = statement(db, `SELECT data FROM ${table.quoted} ${plan.where}`).pluck();
  for (const data of rows.iterate(...plan.params) as IterableIterator<string>) if (matcher(parse(data))) count++;
  return count;
}

function parse(data: string): DocData {
  return JSON.parse(data) as DocData;
}
