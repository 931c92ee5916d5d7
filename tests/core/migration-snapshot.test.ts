/**
 * Issue 14: a profile whose collections are stored at an older schema version gets a copy of its file
 * before RxDB migrates them at open (no JSON snapshot can be read at the old version).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRxDatabase } from 'rxdb';
import { afterEach, expect, it } from 'vitest';
import { loadDeviceIdentity } from '../../main/database/identity';
import { createCoreStorage } from '../../main/database/storage';
import { openConnection, type DatabaseKey } from '../../main/storage';
import { auditEntrySchema } from '../../shared/audit';
import { AUDIT_INDEXES, deriveRxSchema, entityRxSchema } from '../../shared/rx-schema';
import { dogDoc } from '../server/documents';
import { openTestCore, type TestCore } from './helpers';

let core: TestCore | undefined;
afterEach(async () => {
  await core?.dispose();
  core = undefined;
});

/** A profile as the release before schema versions wrote it: the audit collection at RxDB version 0. */
async function previousReleaseProfile(key: DatabaseKey): Promise<string> {
  const dataDir = await mkdtemp(join(tmpdir(), 'curio-before-migration-'));
  const identity = await loadDeviceIdentity(dataDir);
  const previous = await createRxDatabase({
    name: identity.databaseName,
    storage: createCoreStorage(dataDir, key).storage,
    multiInstance: false,
    closeDuplicates: false,
  });
  const collections = await previous.addCollections({
    dog: { schema: entityRxSchema('dog') },
    audit: { schema: deriveRxSchema(auditEntrySchema, AUDIT_INDEXES, { title: 'audit', idLength: 36 }) },
  });
  const { _deleted, ...dog } = dogDoc({ id: 'local', name: 'Local' }, { name: 'Rex' });
  await collections.dog!.insert(dog);
  await previous.close();
  return dataDir;
}

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
