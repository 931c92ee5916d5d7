import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../server/store';
import { postgresBinDir, startPostgres, type PostgresFixture } from './postgres-fixture';

/**
 * A server upgraded in place opens the database of the release before: the columns added since (a document's
 * schema version, a refresh token's successor) are added, and the rows already stored stay as they were.
 */
let postgres: PostgresFixture | null = null;
const backends = postgresBinDir() ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const);

beforeAll(async () => {
  if (backends.length > 1) postgres = await startPostgres();
}, 60_000);
afterAll(async () => {
  await postgres?.stop();
});

describe.each(backends)('a database from before the added columns (%s)', (backend) => {
  it('gains every added column at the next start and keeps its rows', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'curio-added-columns-'));
    const place = { dataDir, databaseUrl: backend === 'postgres' ? await postgres!.createDatabase() : undefined };
    try {
      const before = await openStore(place);
      await before.sql.run(
        "INSERT INTO refresh_tokens (hash, session_id, created_at, used_at) VALUES ('h1', 's1', '2026-01-01', NULL)",
      );
      // The tables of a release before both columns.
      await before.sql.run('ALTER TABLE refresh_tokens DROP COLUMN rotated_to');
      await before.sql.run('ALTER TABLE documents DROP COLUMN schema_version');
      await before.close();

      const after = await openStore(place);
      try {
        expect(await after.sql.all('SELECT hash, session_id, used_at, rotated_to FROM refresh_tokens')).toEqual([
          { hash: 'h1', session_id: 's1', used_at: null, rotated_to: null },
        ]);
        expect(await after.sql.all('SELECT schema_version FROM documents')).toEqual([]);
      } finally {
        await after.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
