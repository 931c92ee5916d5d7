import { ENTITY_TYPES, entities, type EntityType } from '../../shared/entities/registry';
import type { SqliteInternals } from '../storage';
import type { ServiceContext } from './context';
import { FIELD_BOOST, SEARCH_FIELDS } from './search-text';

/** The FTS5 table: what a hit shows (unindexed), then one indexed column per search field. */
const FTS = 'curio_search';
/** Maps an entry id to its FTS rowid: FTS5 finds rows by rowid only, and ids are text. */
const ROWS = 'curio_search_rows';
/** The indexed words, to find the ones one typo away from a query word. */
const VOCAB = 'curio_search_vocab';
const STATE = 'curio_search_state';
/** Prefixed: a search field may be named `title` too. */
const SHOWN = ['entry_type', 'entry_id', 'entry_title', 'in_trash'] as const;

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
const text = (value: string) => `'${value.replace(/'/g, "''")}'`;

export interface StoredHit {
  type: EntityType;
  id: string;
  title: string;
  inTrash: boolean;
  score: number;
  [field: string]: string | number | boolean | null;
}

export interface SearchStore {
  /** Entries matching an FTS5 expression, best first. */
  query(match: string, options: { types?: EntityType[]; includeTrash: boolean; limit: number }): StoredHit[];
  /** Which of `candidates` are indexed words. */
  knownTerms(candidates: string[]): string[];
}

/**
 * Full-text search kept inside the profile's SQLite file (FTS5): triggers on
 * every entity table update the index in the same transaction as the write,
 * so it is persistent, never stale (pulled changes too) and needs no build
 * at open. Rebuilt once when the tables or the searched fields change.
 */
export async function openSearchStore(ctx: ServiceContext): Promise<SearchStore> {
  const tables = ENTITY_TYPES.map((type) => {
    const { file, table } = ctx.database.entities[type].storageInstance.internals as SqliteInternals;
    return { type, file, table: table.name };
  });
  const file = tables[0]!.file;
  await file.waitForWriteTurn();
  const db = file.writer;
  const fingerprint = JSON.stringify({
    tables: tables.map(({ table }) => table),
    fields: ENTITY_TYPES.map((type) => [type, entities[type].titleField, entities[type].searchFields]),
  });
  db.exec(`CREATE TABLE IF NOT EXISTS ${STATE} (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
  const stored = db.prepare(`SELECT value FROM ${STATE} WHERE key = 'fingerprint'`).get() as
    { value: string } | undefined;
  // A table recreated under the same name would have lost its triggers: count them too.
  const triggers = db
    .prepare(`SELECT count(*) AS n FROM sqlite_master WHERE type = 'trigger' AND name LIKE '${FTS}\\_%' ESCAPE '\\'`)
    .get() as { n: number };
  if (stored?.value !== fingerprint || triggers.n !== tables.length * 3) {
    db.transaction(() => {
      for (const name of [VOCAB, FTS, ROWS]) db.exec(`DROP TABLE IF EXISTS ${name}`);
      db.exec(`CREATE TABLE ${ROWS} (rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE)`);
      db.exec(
        `CREATE VIRTUAL TABLE ${FTS} USING fts5(${SHOWN.map((c) => `${c} UNINDEXED`).join(', ')}, ` +
          `${SEARCH_FIELDS.map(quote).join(', ')}, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')`,
      );
      db.exec(`CREATE VIRTUAL TABLE ${VOCAB} USING fts5vocab(${FTS}, 'row')`);
      for (const { type, table } of tables) {
        for (const event of ['INSERT', 'UPDATE', 'DELETE'])
          db.exec(`DROP TRIGGER IF EXISTS ${quote(`${FTS}_${event}_${table}`)}`);
        createTriggers(db, type, table);
        db.exec(`INSERT INTO ${ROWS} (id) SELECT id FROM ${quote(table)} WHERE deleted = 0`);
        db.exec(`INSERT INTO ${FTS} (rowid, ${columns()}) SELECT r.rowid, ${values(type, 't')}
          FROM ${quote(table)} t JOIN ${ROWS} r ON r.id = t.id WHERE t.deleted = 0`);
      }
      db.prepare(`INSERT OR REPLACE INTO ${STATE} (key, value) VALUES ('fingerprint', ?)`).run(fingerprint);
    })();
  }

  const weights = SEARCH_FIELDS.map((field) => FIELD_BOOST[field]!).join(', ');
  const shownFields = SEARCH_FIELDS.map(quote).join(', ');
  return {
    query(match, { types, includeTrash, limit }) {
      const where = [`${FTS} MATCH ?`];
      if (!includeTrash) where.push('in_trash = 0');
      if (types && types.length > 0) where.push(`entry_type IN (${types.map(text).join(', ')})`);
      const rows = file
        .readConnection()
        .prepare(
          `SELECT entry_type, entry_id, entry_title, in_trash, ${shownFields}, bm25(${FTS}, ${SHOWN.map(() => 0).join(', ')}, ${weights}) AS score
           FROM ${FTS} WHERE ${where.join(' AND ')} ORDER BY score LIMIT ?`,
        )
        .all(match, limit) as Record<string, string | number | null>[];
      return rows.map(({ entry_type, entry_id, entry_title, in_trash, score, ...fields }) => ({
        ...fields,
        type: entry_type as EntityType,
        id: entry_id as string,
        title: entry_title as string,
        inTrash: in_trash === 1,
        // BM25 in FTS5 is lower for better matches.
        score: -(score as number),
      }));
    },
    knownTerms(candidates) {
      if (candidates.length === 0) return [];
      const found = file
        .readConnection()
        .prepare(`SELECT term FROM ${VOCAB} WHERE term IN (SELECT value FROM json_each(?))`)
        .all(JSON.stringify(candidates)) as { term: string }[];
      return found.map((row) => row.term);
    },
  };
}

function columns(): string {
  return [...SHOWN, ...SEARCH_FIELDS].map(quote).join(', ');
}

/** The FTS row of a stored document row `alias` (its `data` column holds the document as JSON). */
function values(type: EntityType, alias: string): string {
  const data = `${alias}.data`;
  const field = (name: string) =>
    name === 'aliases'
      ? `(SELECT group_concat(value, char(10)) FROM json_each(${data}, '$.aliases'))`
      : `json_extract(${data}, ${text(`$.${name}`)})`;
  const searched = new Set<string>(entities[type].searchFields);
  return [
    text(type),
    `${alias}.id`,
    field(entities[type].titleField),
    `json_extract(${data}, '$.deletedAt') IS NOT NULL`,
    ...SEARCH_FIELDS.map((name) => (searched.has(name) ? field(name) : 'NULL')),
  ].join(', ');
}

/** Keeps the index in step with one entity table: every write replaces the entry's row; tombstones remove it. */
function createTriggers(db: SqliteInternals['file']['writer'], type: EntityType, table: string): void {
  const remove = `DELETE FROM ${FTS} WHERE rowid = (SELECT rowid FROM ${ROWS} WHERE id = old.id);
    DELETE FROM ${ROWS} WHERE id = old.id;`;
  const add = `INSERT INTO ${ROWS} (id) SELECT new.id WHERE new.deleted = 0;
    INSERT INTO ${FTS} (rowid, ${columns()}) SELECT r.rowid, ${values(type, 'new')}
      FROM ${ROWS} r WHERE r.id = new.id AND new.deleted = 0;`;
  const body = { INSERT: add, UPDATE: remove + add, DELETE: remove };
  for (const [event, statements] of Object.entries(body)) {
    db.exec(
      `CREATE TRIGGER ${quote(`${FTS}_${event}_${table}`)} AFTER ${event} ON ${quote(table)} BEGIN ${statements} END`,
    );
  }
}
