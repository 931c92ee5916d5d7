import packageJson from '../../package.json' with { type: 'json' };
import { PROTOCOL_VERSION, REPLICATED_COLLECTIONS, type ReplicatedCollection } from '../../shared/protocol';
import type { ServerInfo } from '../../shared/team';
import type { ServerAuditRow, Store } from '../store';

/** The storage's size in bytes: the SQLite file's pages, or PostgreSQL's database size. */
async function storageSize(store: Store): Promise<number | null> {
  const sql =
    store.kind === 'sqlite'
      ? 'SELECT page_count * page_size AS n FROM pragma_page_count(), pragma_page_size()'
      : 'SELECT pg_database_size(current_database()) AS n';
  try {
    const row = await store.sql.get<{ n: number | string }>(sql);
    return row ? Number(row.n) : null;
  } catch {
    // NOTE: a role without the right to read the size still gets the rest of the panel.
    return null;
  }
}

async function lastRun(store: Store, action: string): Promise<ServerInfo['lastPurge']> {
  const row = await store.sql.get<ServerAuditRow>(
    'SELECT * FROM server_audit WHERE action = ? ORDER BY at DESC, id DESC LIMIT 1',
    [action],
  );
  return row ? { at: row.at, by: row.actor_name } : null;
}

/** ADMIN-7: what the admin's server panel shows. */
export async function serverInfo(store: Store, startedAt: string): Promise<ServerInfo> {
  const count = async (sql: string, params: unknown[] = []) =>
    Number((await store.sql.get<{ n: number | string }>(sql, params))?.n ?? 0);
  const perCollection = await store.sql.all<{ collection: string; n: number | string }>(
    'SELECT collection, COUNT(*) AS n FROM documents WHERE deleted = 0 GROUP BY collection',
  );
  const documents = Object.fromEntries(REPLICATED_COLLECTIONS.map((name) => [name, 0])) as Record<
    ReplicatedCollection,
    number
  >;
  for (const row of perCollection) {
    if (row.collection in documents) documents[row.collection as ReplicatedCollection] = Number(row.n);
  }
  return {
    version: packageJson.version,
    protocol: PROTOCOL_VERSION,
    startedAt,
    storage: { kind: store.kind, sizeBytes: await storageSize(store) },
    users: await count('SELECT COUNT(*) AS n FROM users'),
    liveSessions: await count('SELECT COUNT(*) AS n FROM sessions WHERE revoked_at IS NULL AND expires_at > ?', [
      new Date().toISOString(),
    ]),
    documents,
    lastPurge: await lastRun(store, 'trash.purged'),
    lastBackup: await lastRun(store, 'server.backup'),
  };
}
