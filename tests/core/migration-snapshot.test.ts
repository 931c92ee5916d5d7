/**
 * Issue 14: a profile whose collections are stored at an older schema version gets a copy of its file
 * before RxDB migrates them at open (no JSON snapshot can be read at the old version).
 */
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { openConnection, type DatabaseKey } from '../../main/storage';
import { previousReleaseProfile } from './fixtures/previous-release';
import { openTestCore, type TestCore } from './helpers';

let core: TestCore | undefined;
afterEach(async () => {
  await core?.dispose();
  core = undefined;
});

/** The version each collection is stored at in a database file. */
function storedVersions(file: string, key: DatabaseKey): Record<string, number> {
  const db = openConnection(file, key, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT collection, max(version) AS version FROM curio_collections GROUP BY collection');
    return Object.fromEntries(
      (rows.all() as { collection: string; version: number }[]).map((r) => [r.collection, r.version]),
    );
  } finally {
    db.close();
  }
}

for (const encrypted of [false, true]) {
  it(`copies the file of a profile at an older schema version before migrating it${encrypted ? ' (encrypted)' : ''}`, async () => {
    const key = encrypted ? randomBytes(32) : null;
    const dataDir = await previousReleaseProfile(key);
    core = await openTestCore({ dataDir, ...(key ? { encryption: { key } } : {}) });

    const copies = (await readdir(join(dataDir, 'snapshots'))).filter((name) => name.includes('_before-migration_'));
    expect(copies).toHaveLength(1);
    expect(copies[0]).toMatch(/\.curio\.sqlite$/);
    // The copy is the profile as it was: the audit still at version 0, the dog in it.
    const copy = join(dataDir, 'snapshots', copies[0]!);
    expect(storedVersions(copy, key)).toMatchObject({ audit: 0, dog: 0 });
    // The open itself migrated the audit.
    expect(core.context.database.audit.schema.version).toBeGreaterThan(0);

    // A second open has nothing to migrate and copies nothing.
    await core.close();
    core = await openTestCore({ dataDir, ...(key ? { encryption: { key } } : {}) });
    expect((await readdir(join(dataDir, 'snapshots'))).filter((name) => name.includes('_before-migration_'))).toEqual(
      copies,
    );
  });
}
