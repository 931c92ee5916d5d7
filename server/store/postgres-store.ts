import { randomBytes, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { spawn } from 'node:child_process';
import pg from 'pg';
import type { ReplicatedCollection } from '../../shared/protocol';
import { ChangeFeed, type IgnoredNotification } from './change-feed';
import { currentVersion, upgradedJson, upgradedRow } from './document-versions';
import {
  ADDED_COLUMNS,
  addColumnStatement,
  CAPPED_PAGE_SQL,
  cappedPage,
  counterSeedStatement,
  lastWritePerId,
  schemaStatements,
} from './schema';
import type { ChangeBatch, CommitDecision, SqlDb, Store, StoredRow } from './types';

const CHANNEL = 'curio_changes';
const MIGRATION_LOCK = 5309_0001;

/** BIGINT (type 20) as a JS number: sequences stay far below 2^53. */
const types = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === 20 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as 'text')) as never,
};

function numbered(text: string): string {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
}

/**
 * PostgreSQL for teams that run several server processes. A commit locks the
 * collection's counter row (`SELECT … FOR UPDATE`) before reading, so writers
 * of one collection are serialized and sequence order is commit order. Each
 * commit sends a NOTIFY in its transaction; every process LISTENs and takes
 * other processes' notifications as hints to read new rows from its own
 * checkpoint (ChangeFeed): any login can send a NOTIFY, so none is trusted.
 */
export async function openPostgresStore(databaseUrl: string): Promise<Store> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10, types });
  // An idle client losing its connection must not crash the process; queries report their own errors.
  pool.on('error', () => undefined);
  const origin = randomUUID();
  const events = new EventEmitter();
  events.setMaxListeners(0);

  await migrate(pool);

  const sql: SqlDb = {
    dialect: 'postgres',
    all: async <T>(text: string, params: unknown[] = []) => (await pool.query(numbered(text), params)).rows as T[],
    get: async <T>(text: string, params: unknown[] = []) =>
      (await pool.query(numbered(text), params)).rows[0] as T | undefined,
    run: async (text: string, params: unknown[] = []) => ({
      changes: (await pool.query(numbered(text), params)).rowCount ?? 0,
    }),
  };

  async function pull(collection: string, after: number, limit: number): Promise<StoredRow[]> {
    const result = await pool.query(
      `SELECT id, seq AS sequence, doc AS json, schema_version AS version FROM documents
       WHERE collection = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
      [collection, after, limit],
    );
    return (result.rows as (StoredRow & { version: number })[]).map((row) => upgradedRow(collection, row));
  }

  let closed = false;
  let listener: pg.Client | null = null;
  let retry: NodeJS.Timeout | null = null;

  const feed = new ChangeFeed({
    read: pull,
    heads: async () => {
      const result = await pool.query('SELECT collection, value FROM counters');
      return new Map(result.rows.map((row) => [row.collection as string, row.value as number]));
    },
    emit: (batch) => events.emit('change', batch satisfies ChangeBatch),
  });

  function onNotification(message: pg.Notification): void {
    if (message.channel !== CHANNEL) return;
    const ignored = feed.notified(message.payload, origin);
    if (ignored) events.emit('ignored', ignored);
  }

  async function listen(): Promise<void> {
    const client = new pg.Client({ connectionString: databaseUrl, types });
    client.on('notification', onNotification);
    client.on('error', () => lost(client));
    client.on('end', () => lost(client));
    await client.connect();
    // Whatever was committed while nobody listened is not announced: streams were reset (STREAM-4).
    // Commits between here and LISTEN go out with the next hint, read from this checkpoint.
    await feed.reset();
    await client.query(`LISTEN ${CHANNEL}`);
    listener = client;
  }

  /**
   * NOTE: notifications sent while no connection listens are gone for good,
   * so a lost listener resets every stream (clients reconnect and resync,
   * STREAM-4) and listening resumes as soon as the database answers.
   */
  function lost(client: pg.Client): void {
    if (closed || listener !== client) return;
    listener = null;
    void client.end().catch(() => undefined);
    events.emit('reset');
    const attempt = () => {
      retry = null;
      if (closed) return;
      listen().catch(() => {
        retry = setTimeout(attempt, 1000);
        retry.unref();
      });
    };
    attempt();
  }

  await listen();

  return {
    kind: 'postgres',
    sql,
    async commit<T>(collection: ReplicatedCollection, ids: string[], decide: CommitDecision<T>) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const counter = await client.query('SELECT value FROM counters WHERE collection = $1 FOR UPDATE', [collection]);
        const currentRows = await client.query(
          'SELECT id, doc, schema_version AS version FROM documents WHERE collection = $1 AND id = ANY($2)',
          [collection, [...new Set(ids)]],
        );
        const current = new Map<string, string>(
          currentRows.rows.map((row) => [row.id as string, upgradedJson(collection, row.doc as string, row.version)]),
        );
        const { writes, result } = decide(current);
        const written: StoredRow[] = [];
        if (writes.length === 0) {
          await client.query('COMMIT');
          return { result, written };
        }
        let sequence = (counter.rows[0] as { value: number }).value;
        for (const write of lastWritePerId(writes)) {
          sequence += 1;
          written.push({ id: write.id, sequence, json: write.json });
        }
        const deleted = new Map(writes.map((write) => [write.id, write.deleted ? 1 : 0]));
        await client.query(
          `INSERT INTO documents (collection, id, seq, deleted, doc, schema_version)
           SELECT $1::text, *, $6::int FROM unnest($2::text[], $3::bigint[], $4::int[], $5::text[])
           ON CONFLICT (collection, id) DO UPDATE SET seq = excluded.seq, deleted = excluded.deleted, doc = excluded.doc,
             schema_version = excluded.schema_version`,
          [
            collection,
            written.map((row) => row.id),
            written.map((row) => row.sequence),
            written.map((row) => deleted.get(row.id) ?? 0),
            written.map((row) => row.json),
            currentVersion(collection),
          ],
        );
        await client.query('UPDATE counters SET value = $1 WHERE collection = $2', [sequence, collection]);
        await client.query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify({ origin, collection })]);
        await client.query('COMMIT');
        feed.committed(collection, written);
        return { result, written };
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    pull,
    async pullPage(collection, after, limit, maxBytes) {
      const parameters = [collection, after, limit, maxBytes, collection, after];
      const result = await pool.query(numbered(CAPPED_PAGE_SQL), parameters);
      return cappedPage(collection, result.rows as (StoredRow & { version: number; fetched: string })[]);
    },
    onChange(handler) {
      events.on('change', handler);
      return () => events.off('change', handler);
    },
    onReset(handler) {
      events.on('reset', handler);
      return () => events.off('reset', handler);
    },
    onIgnoredNotification(handler: (reason: IgnoredNotification) => void) {
      events.on('ignored', handler);
      return () => events.off('ignored', handler);
    },
    async exclusively(lock, fn) {
      // NOTE: a session lock on a connection of its own: it ends with the connection if the process dies.
      const client = await pool.connect();
      try {
        const taken = await client.query('SELECT pg_try_advisory_lock($1) AS taken', [lock]);
        if (!(taken.rows[0] as { taken: boolean }).taken) return null;
        try {
          return await fn();
        } finally {
          await client.query('SELECT pg_advisory_unlock($1)', [lock]).catch(() => undefined);
        }
      } finally {
        client.release();
      }
    },
    async secret(name) {
      await pool.query('INSERT INTO secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [
        name,
        randomBytes(32).toString('base64'),
      ]);
      const result = await pool.query('SELECT value FROM secrets WHERE name = $1', [name]);
      return Buffer.from((result.rows[0] as { value: string }).value, 'base64');
    },
    async ping() {
      await pool.query('SELECT 1');
    },
    async backup(destination) {
      await runPgDump(databaseUrl, destination);
    },
    async close() {
      if (closed) return;
      closed = true;
      feed.close();
      events.removeAllListeners();
      if (retry) clearTimeout(retry);
      await listener?.end().catch(() => undefined);
      await pool.end();
    },
  };
}

async function migrate(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    // Several processes may start at once; one migrates, the others wait.
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    for (const statement of schemaStatements('postgres')) await client.query(statement);
    for (const added of ADDED_COLUMNS) await client.query(addColumnStatement(added, 'postgres'));
    const seed = counterSeedStatement();
    await client.query(numbered(seed.sql), seed.params);
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
}

function runPgDump(databaseUrl: string, destination: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('pg_dump', ['--format=custom', `--file=${destination}`, databaseUrl], { stdio: 'inherit' });
    child.on('error', (error) =>
      reject(
        new Error(
          `Could not run pg_dump (${error.message}). Install the PostgreSQL client tools or back up with your own pg_dump.`,
        ),
      ),
    );
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`pg_dump exited with code ${code}.`))));
  });
}
