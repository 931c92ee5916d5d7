import { ENTITY_TYPES } from '../../shared/entities/registry';
import { currentVersion, upgradedJson } from './document-versions';
import type { Store } from './types';

/** Rows read and rewritten per step; small, so pushes interleave. */
const BATCH = 200;
/** The PostgreSQL advisory lock that makes one process of several the migrating one (SCHEMA-7). */
export const DOCUMENT_MIGRATION_LOCK = 5309_0002;

interface MigrationRow {
  collection: string;
  version: number;
  after_id: string;
  done: number;
}

/**
 * Refuses a database whose documents a newer server has already migrated
 * (SCHEMA-6): this server could not read them.
 */
export async function checkStoredVersions(store: Store): Promise<void> {
  const rows = await store.sql.all<MigrationRow>('SELECT collection, version, after_id, done FROM schema_migrations');
  for (const row of rows) {
    const current = currentVersion(row.collection);
    if (row.version > current) {
      throw new Error(
        `The database holds ${row.collection} documents of schema version ${row.version}, written by a newer Curio server; this one reads up to ${current}. Run the newer server (or restore a backup taken before the upgrade).`,
      );
    }
  }
}

export interface MigrationProgress {
  collection: string;
  migrated: number;
  done: boolean;
}

/**
 * Rewrites stored documents of an older schema version at the current one, in
 * the background (SCHEMA-7): in id order, a batch at a time, each row only if
 * it is still at the version read (a push meanwhile wrote the current one),
 * keeping its sequence and rev (its content is the same revision). The last
 * id done is the checkpoint in `schema_migrations`, so a server killed midway
 * resumes there. Reads never wait for it: older rows are migrated as read.
 * With several processes on PostgreSQL only the holder of the advisory lock
 * migrates; the others serve. Returns false when another process migrates.
 */
export async function migrateStoredDocuments(
  store: Store,
  options: { signal?: AbortSignal; onProgress?: (progress: MigrationProgress) => void } = {},
): Promise<boolean> {
  const ran = await store.exclusively(DOCUMENT_MIGRATION_LOCK, async () => {
    for (const collection of ENTITY_TYPES) {
      const version = currentVersion(collection);
      if (version === 0) continue;
      let state = await store.sql.get<MigrationRow>(
        'SELECT collection, version, after_id, done FROM schema_migrations WHERE collection = ?',
        [collection],
      );
      if (!state || state.version !== version) {
        state = { collection, version, after_id: '', done: 0 };
        await store.sql.run(
          `INSERT INTO schema_migrations (collection, version, after_id, done) VALUES (?, ?, '', 0)
           ON CONFLICT (collection) DO UPDATE SET version = excluded.version, after_id = '', done = 0`,
          [collection, version],
        );
      }
      let migrated = 0;
      let after = state.after_id;
      while (!state.done) {
        if (options.signal?.aborted) return;
        const rows = await store.sql.all<{ id: string; doc: string; schema_version: number }>(
          `SELECT id, doc, schema_version FROM documents WHERE collection = ? AND id > ? ORDER BY id LIMIT ${BATCH}`,
          [collection, after],
        );
        for (const row of rows) {
          if (row.schema_version >= version) continue;
          const json = upgradedJson(collection, row.doc, row.schema_version);
          const { changes } = await store.sql.run(
            'UPDATE documents SET doc = ?, schema_version = ? WHERE collection = ? AND id = ? AND schema_version = ?',
            [json, version, collection, row.id, row.schema_version],
          );
          migrated += changes;
        }
        const done = rows.length < BATCH;
        if (rows.length > 0) after = rows[rows.length - 1]!.id;
        await store.sql.run('UPDATE schema_migrations SET after_id = ?, done = ? WHERE collection = ?', [
          after,
          done ? 1 : 0,
          collection,
        ]);
        options.onProgress?.({ collection, migrated, done });
        if (done) break;
      }
    }
  });
  return ran !== null;
}
