/**
 * SCHEMA-6, SCHEMA-7: the server migrates stored documents in the background,
 * resumably. This file runs the test-only v1 registry in process (vi.mock), as
 * a server of the next release would.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openStore, type Store } from '../../server/store';
import { migrateStoredDocuments, DOCUMENT_MIGRATION_LOCK } from '../../server/store/migrate-documents';
import { postgresBinDir, startPostgres, type PostgresFixture } from '../server/postgres-fixture';
import { ServerProcess } from './upgrade/server-process';
import { storeAsV0, storedRows, v0Documents } from './upgrade/stored-documents';

vi.mock('../../shared/entities/registry', () => import('./upgrade/registry-v1'));

let postgres: PostgresFixture | null = null;
const backends = postgresBinDir() ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const);

beforeAll(async () => {
  if (backends.length > 1) postgres = await startPostgres();
}, 60_000);
afterAll(async () => {
  await postgres?.stop();
});

async function storage(backend: 'sqlite' | 'postgres') {
  const dataDir = await mkdtemp(join(tmpdir(), 'curio-migration-'));
  const databaseUrl = backend === 'postgres' ? await postgres!.createDatabase() : undefined;
  return { dataDir, databaseUrl, cleanUp: () => rm(dataDir, { recursive: true, force: true }) };
}

describe.each(backends)('stored documents of the previous version (%s)', (backend) => {
  it('SCHEMA-7: are migrated a batch at a time from a checkpoint; an interrupted run resumes there', async () => {
    const place = await storage(backend);
    let store: Store = await openStore(place);
    try {
      const documents = v0Documents(500);
      await storeAsV0(store.sql, documents);
      const before = await storedRows(store.sql);

      // Stopped after the first batch, as a server shut down midway would be.
      const controller = new AbortController();
      await migrateStoredDocuments(store, { signal: controller.signal, onProgress: () => controller.abort() });
      const checkpoint = await store.sql.get<{ after_id: string; done: number }>(
        "SELECT after_id, done FROM schema_migrations WHERE collection = 'person'",
      );
      expect(checkpoint).toMatchObject({ done: 0 });
      const halfway = await storedRows(store.sql);
      // Person comes first in the registry: its first batch is done, the rest and every dog wait.
      const people = halfway.filter((row) => row.collection === 'person');
      expect(people.filter((row) => row.schema_version === 1).map((row) => row.id)).toEqual(
        people.filter((row) => row.id <= checkpoint!.after_id).map((row) => row.id),
      );
      expect(people.some((row) => row.schema_version === 0)).toBe(true);
      expect(halfway.filter((row) => row.collection === 'dog').every((row) => row.schema_version === 0)).toBe(true);

      // Served meanwhile: a pull reads the rows not migrated yet at the current version.
      for (const collection of ['person', 'dog'] as const) {
        const pulled = (await store.pull(collection, 0, 1000)).map((row) => JSON.parse(row.json));
        expect(pulled).toHaveLength(250);
        expect(pulled.every((doc) => ('biography' in doc || 'size' in doc) && !('bio' in doc))).toBe(true);
      }

      await store.close();
      store = await openStore(place);
      expect(await migrateStoredDocuments(store)).toBe(true);
      const after = await storedRows(store.sql);
      expect(after.every((row) => row.schema_version === 1)).toBe(true);
      for (const row of after) {
        const old = before.find((each) => each.id === row.id)!;
        // Same revision, same sequence: a migration is not a new write.
        expect([row.doc.rev, row.seq]).toEqual([old.doc.rev, old.seq]);
        if (row.collection === 'dog') expect(row.doc).toEqual({ ...old.doc, size: 'unknown' });
        else {
          const { bio, ...rest } = old.doc;
          expect(row.doc).toEqual({ ...rest, biography: bio });
        }
      }
    } finally {
      await store.close();
      await place.cleanUp();
    }
  }, 120_000);

  it('SCHEMA-7: a server killed with -9 while it migrates resumes cleanly at its next start', async () => {
    const place = await storage(backend);
    const seed = await openStore(place);
    await storeAsV0(seed.sql, v0Documents(2000));
    await seed.close();
    try {
      const first = await ServerProcess.start({ generation: 'v1', ...place });
      await first.kill();
      const second = await ServerProcess.start({ generation: 'v1', ...place });
      const store = await openStore(place);
      try {
        await expect
          .poll(
            async () =>
              (await store.sql.all<{ done: number }>('SELECT done FROM schema_migrations')).map((r) => Number(r.done)),
            {
              timeout: 60_000,
            },
          )
          .toEqual([1, 1]);
        const rows = await storedRows(store.sql);
        expect(rows).toHaveLength(2000);
        expect(rows.every((row) => row.schema_version === 1)).toBe(true);
        expect(rows.filter((row) => row.collection === 'dog').every((row) => row.doc.size === 'unknown')).toBe(true);
      } finally {
        await store.close();
        await second.close();
      }
    } finally {
      await place.cleanUp();
    }
  }, 180_000);

  if (backend === 'postgres') {
    it('SCHEMA-7: with several server processes on one PostgreSQL, only one migrates (advisory lock)', async () => {
      const place = await storage(backend);
      const [a, b] = [await openStore(place), await openStore(place)];
      try {
        let release!: () => void;
        const holding = a.exclusively(
          DOCUMENT_MIGRATION_LOCK,
          () => new Promise<string>((resolve) => (release = () => resolve('a'))),
        );
        await vi.waitFor(() => expect(release).toBeDefined());
        expect(await b.exclusively(DOCUMENT_MIGRATION_LOCK, async () => 'b')).toBeNull();
        expect(await migrateStoredDocuments(b)).toBe(false);
        release();
        expect(await holding).toBe('a');
        expect(await b.exclusively(DOCUMENT_MIGRATION_LOCK, async () => 'b')).toBe('b');
      } finally {
        await a.close();
        await b.close();
        await place.cleanUp();
      }
    }, 60_000);
  }
});
