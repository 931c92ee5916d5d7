import { describe, expect, it } from 'vitest';
import { openStore } from '../../server/store';
import { ADAPTERS, serverHarness } from './helpers';

/**
 * A server upgraded in place opens the database of the release before: the columns added since (a document's
 * schema version, a refresh token's successor) are added, and the rows already stored stay as they were.
 */
describe.each(ADAPTERS)('a database from before the added columns (%s)', (adapter) => {
  const harness = serverHarness(adapter);

  it('gains every added column at the next start and keeps its rows', async () => {
    const place = await harness.storage();
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
  }, 60_000);
});
