import type { SqliteInternals } from '../storage';

type Sqlite = SqliteInternals['file']['writer'];

/**
 * Tables that triggers derive from the entity tables (search index, links)
 * are rebuilt when what they derive from changes: `fingerprint` names it (the
 * entity tables and the fields read) and is kept in the `state` table. A table
 * recreated under the same name would have lost its triggers, so their count
 * (those named `<prefix>_…`) is checked too.
 */
export function mustRebuild(
  db: Sqlite,
  derived: { state: string; prefix: string; fingerprint: string; triggers: number },
): boolean {
  db.exec(`CREATE TABLE IF NOT EXISTS ${derived.state} (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
  const stored = db.prepare(`SELECT value FROM ${derived.state} WHERE key = 'fingerprint'`).get() as
    { value: string } | undefined;
  const triggers = db
    .prepare(`SELECT count(*) AS n FROM sqlite_master WHERE type = 'trigger' AND name LIKE ? ESCAPE '\\'`)
    .get(`${derived.prefix.replace(/[\\%_]/g, '\\$&')}\\_%`) as { n: number };
  return stored?.value !== derived.fingerprint || triggers.n !== derived.triggers;
}

/** Records what a rebuild derived from; call inside the rebuild's transaction. */
export function rebuilt(db: Sqlite, derived: { state: string; fingerprint: string }): void {
  db.prepare(`INSERT OR REPLACE INTO ${derived.state} (key, value) VALUES ('fingerprint', ?)`).run(derived.fingerprint);
}

/** A resource opened on first use and shared after; a failed open is tried again by the next caller. */
export function openOnce<T>(open: () => Promise<T>): () => Promise<T> {
  let opening: Promise<T> | undefined;
  return () => {
    opening ??= open().catch((error: unknown) => {
      opening = undefined;
      throw error;
    });
    return opening;
  };
}
