import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { ReplicatedCollection } from '../../shared/protocol';
import { currentVersion, upgradedJson, upgradedRow } from './document-versions';
import { makeOwnerOnlyFolder, narrowToOwner, ownerOnlyFile } from './owner-only';
import { SQLITE_FILE } from './restore';
import {
  ADDED_COLUMNS,
  addColumnStatement,
  counterSeedStatement,
  lastWritePerId,
  pageWithinBytes,
  schemaStatements,
} from './schema';
import type { ChangeBatch, CommitDecision, CommitOutcome, SqlDb, Store, StoredRow } from './types';

const ID_CHUNK = 500;

type VersionedRow = StoredRow & { version: number };
/** Prepared statements kept for the repositories' SQL (see `prepared` below). */
const STATEMENT_CACHE_SIZE = 200;

/**
 * The embedded default: one SQLite file in the data folder. better-sqlite3 is
 * synchronous, so a commit (read, decide, write) runs as one IMMEDIATE
 * transaction without yielding: writers are serialized and sequence order is
 * commit order by construction.
 */
export function openSqliteStore(dataDir: string): Store {
  makeOwnerOnlyFolder(dataDir);
  const file = path.join(dataDir, SQLITE_FILE);
  // OPS-8: SQLite gives the -wal and -shm files the database file's mode, so they follow it.
  ownerOnlyFile(file);
  narrowToOwner(`${file}-wal`, `${file}-shm`);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  for (const statement of schemaStatements('sqlite')) db.exec(statement);
  const columnsOf = db.prepare('SELECT name FROM pragma_table_info(?)').pluck();
  for (const added of ADDED_COLUMNS) {
    if (!columnsOf.all(added.table).includes(added.column)) db.exec(addColumnStatement(added, 'sqlite'));
  }
  const seed = counterSeedStatement();
  db.prepare(seed.sql).run(...seed.params);

  const events = new EventEmitter();
  events.setMaxListeners(0);

  // NOTE: every request runs a few of these (session, rate window); preparing them anew each time cost more
  // than running them. The texts are the repositories' constants, so the cache stays small; the bound only
  // guards against statements built per call.
  const statements = new Map<string, Database.Statement>();
  const prepared = (text: string): Database.Statement => {
    let statement = statements.get(text);
    if (!statement) {
      if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value as string);
      statement = db.prepare(text);
      statements.set(text, statement);
    }
    return statement;
  };
  const sql: SqlDb = {
    dialect: 'sqlite',
    all: async <T>(text: string, params: unknown[] = []) => prepared(text).all(...params) as T[],
    get: async <T>(text: string, params: unknown[] = []) => prepared(text).get(...params) as T | undefined,
    run: async (text: string, params: unknown[] = []) => ({ changes: prepared(text).run(...params).changes }),
  };

  const selectCounter = db.prepare('SELECT value FROM counters WHERE collection = ?');
  const updateCounter = db.prepare('UPDATE counters SET value = ? WHERE collection = ?');
  const upsert = db.prepare(
    `INSERT INTO documents (collection, id, seq, deleted, doc, schema_version) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (collection, id) DO UPDATE SET seq = excluded.seq, deleted = excluded.deleted, doc = excluded.doc,
       schema_version = excluded.schema_version`,
  );
  const selectPull = db.prepare(
    `SELECT id, seq AS sequence, doc AS json, schema_version AS version FROM documents
     WHERE collection = ? AND seq > ? ORDER BY seq LIMIT ?`,
  );

  // NOTE: one statement per number of ids (at most ID_CHUNK), kept apart from `prepared` so pushes of every
  // size cannot push the repositories' statements out; preparing it anew for each push cost more than running it.
  const currentByCount = new Map<number, Database.Statement>();
  const selectCurrent = (count: number): Database.Statement => {
    let statement = currentByCount.get(count);
    if (!statement) {
      statement = db.prepare(
        `SELECT id, doc, schema_version AS version FROM documents
         WHERE collection = ? AND id IN (${Array.from({ length: count }, () => '?').join(',')})`,
      );
      currentByCount.set(count, statement);
    }
    return statement;
  };

  function readCurrent(collection: string, ids: string[]): Map<string, string> {
    const current = new Map<string, string>();
    const unique = [...new Set(ids)];
    for (let start = 0; start < unique.length; start += ID_CHUNK) {
      const chunk = unique.slice(start, start + ID_CHUNK);
      const rows = selectCurrent(chunk.length).all(collection, ...chunk) as {
        id: string;
        doc: string;
        version: number;
      }[];
      for (const row of rows) current.set(row.id, upgradedJson(collection, row.doc, row.version));
    }
    return current;
  }

  const commitTx = db.transaction(<T>(collection: ReplicatedCollection, ids: string[], decide: CommitDecision<T>) => {
    const { writes, result } = decide(readCurrent(collection, ids));
    const written: StoredRow[] = [];
    if (writes.length === 0) return { result, written };
    let sequence = (selectCounter.get(collection) as { value: number }).value;
    const version = currentVersion(collection);
    for (const write of lastWritePerId(writes)) {
      sequence += 1;
      upsert.run(collection, write.id, sequence, write.deleted ? 1 : 0, write.json, version);
      written.push({ id: write.id, sequence, json: write.json });
    }
    updateCounter.run(sequence, collection);
    return { result, written };
  });

  return {
    kind: 'sqlite',
    sql,
    async commit<T>(collection: ReplicatedCollection, ids: string[], decide: CommitDecision<T>) {
      const outcome = commitTx.immediate(collection, ids, decide) as CommitOutcome<T>;
      if (outcome.written.length > 0) {
        events.emit('change', { collection, rows: outcome.written } satisfies ChangeBatch);
      }
      return outcome;
    },
    async pull(collection, after, limit) {
      return (selectPull.all(collection, after, limit) as VersionedRow[]).map((row) => upgradedRow(collection, row));
    },
    async pullPage(collection, after, limit, maxBytes) {
      // NOTE: the rows are read one at a time and the scan stops at the cap, which costs less here
      // than PostgreSQL's window sum (CAPPED_PAGE_SQL): SQLite runs in this process, so nothing
      // past the cap is ever read, let alone sent.
      const rows = selectPull.iterate(collection, after, limit) as IterableIterator<VersionedRow>;
      return pageWithinBytes(upgradedRows(collection, rows), maxBytes);
    },
    onChange(listener) {
      events.on('change', listener);
      return () => events.off('change', listener);
    },
    // One process owns the file's change events: nothing can be missed.
    onReset: () => () => undefined,
    onIgnoredNotification: () => () => undefined,
    // One process serves a SQLite file: nobody else can hold the lock.
    exclusively: (_lock, fn) => fn(),
    async secret(name) {
      db.prepare('INSERT INTO secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING').run(
        name,
        randomBytes(32).toString('base64'),
      );
      const row = db.prepare('SELECT value FROM secrets WHERE name = ?').get(name) as { value: string };
      return Buffer.from(row.value, 'base64');
    },
    async ping() {
      db.prepare('SELECT 1').get();
    },
    async backup(destination) {
      await db.backup(destination);
      // A copy of a WAL database is in WAL mode, and SQLite leaves a -wal and a -shm beside such a file wherever
      // it is opened (a check, a restore, an operator's sqlite3): the backup is one self-contained file instead.
      const copy = new Database(destination);
      try {
        copy.pragma('journal_mode = DELETE');
      } finally {
        copy.close();
      }
    },
    async close() {
      events.removeAllListeners();
      db.close();
    },
  };
}

/** Rows as read, each at the current version; closing it closes the scan (the for-of passes `return` on). */
function* upgradedRows(collection: string, rows: IterableIterator<VersionedRow>): IterableIterator<StoredRow> {
  for (const row of rows) yield upgradedRow(collection, row);
}
