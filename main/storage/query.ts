import {
  getQueryMatcher,
  getQueryPlan,
  getSortComparator,
  rateQueryPlan,
  type PreparedQuery,
  type QueryMatcher,
  type RxQueryPlan,
} from 'rxdb';
import type { CollectionTable } from './collection-table';
import { documentOfRow, documentsOf, type StoredRow } from './documents';
import { indexRange } from './index-string';
import type { SqliteDatabase } from './sqlite-file';
import { statement } from './statements';
import type { DocData, SqlPlan } from './stored-document';

type Query = PreparedQuery<Record<string, unknown>>;

/**
 * Turns a query into an SQL range over one index column. RxDB's own flags are
 * recomputed for the stored format (see index-string.ts): leading fields
 * pinned to one value, `$eq: null` included, drop out of the order, so
 * `{ deletedAt: null }` sorted by title is an ordered range scan.
 * NOTE: RxDB's planner does not see that, so it may pick another index of
 * equal rank (for that query: the last `[deletedAt, ...]` index); each
 * schema index is rated again with the corrected flags.
 */
export function sqlPlan(table: CollectionTable, query: Query): SqlPlan {
  const key = JSON.stringify(query.query);
  let plan = table.planCache.get(key);
  if (!plan) {
    plan = choosePlan(table, query);
    if (table.planCache.size > 500) table.planCache.clear();
    table.planCache.set(key, plan);
  }
  return plan;
}

function choosePlan(table: CollectionTable, query: Query): SqlPlan {
  const candidates = query.query.index
    ? [query.queryPlan]
    : (table.schema.indexes ?? []).map((index) =>
        getQueryPlan(table.schema, { ...query.query, index: Array.isArray(index) ? index : [index] } as never),
      );
  let best: { plan: SqlPlan; score: number } | undefined;
  for (const candidate of candidates) {
    const plan = planFor(table, query, candidate);
    if (!plan) continue;
    const rank = rateQueryPlan(table.schema, query.query as never, { ...candidate, sortSatisfiedByIndex: plan.sorted });
    const score = rank + (plan.exact ? 1 : 0);
    if (!best || score > best.score) best = { plan, score };
  }
  return best?.plan ?? { where: '', params: [], orderBy: 'ORDER BY id', exact: false, sorted: false };
}

function planFor(table: CollectionTable, query: Query, plan: RxQueryPlan): SqlPlan | undefined {
  const column = table.columnFor(plan.index);
  if (!column) return undefined;
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
  if (limit <= 0) return [];
  const range = `FROM ${table.quoted} ${plan.where} ${plan.orderBy}`;

  if (plan.exact && plan.sorted) {
    const rows = statement(db, `SELECT id, rev ${range} LIMIT ? OFFSET ?`).all(
      ...plan.params,
      limit === Infinity ? -1 : limit,
      skip,
    ) as StoredRow[];
    return documentsOf(table, db, rows);
  }

  const matcher: QueryMatcher<DocData> | undefined = plan.exact
    ? undefined
    : getQueryMatcher(table.schema, query.query as never);
  if (plan.sorted) {
    // In index order: stop as soon as the page is full.
    const wanted = skip + limit;
    const found: DocData[] = [];
    const select = statement(db, `SELECT id, rev, data ${range}`);
    const rows = table.masters ? select.all(...plan.params) : select.iterate(...plan.params);
    for (const row of rows as Iterable<StoredRow & { data: string }>) {
      const doc = documentOfRow(table, db, row);
      if (!matcher || matcher(doc)) found.push(doc);
      if (found.length >= wanted) break;
    }
    return found.slice(skip);
  }
  const rows = statement(db, `SELECT id, rev ${range}`).all(...plan.params) as StoredRow[];
  let found = documentsOf(table, db, rows);
  if (matcher) found = found.filter((doc) => matcher(doc));
  found.sort(getSortComparator(table.schema, query.query as never));
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
  const rows = statement(db, `SELECT id, rev FROM ${table.quoted} ${plan.where}`).all(...plan.params) as StoredRow[];
  return documentsOf(table, db, rows).filter((doc) => matcher(doc)).length;
}
