/**
 * SCHEMA-1: a profile written by the release before schema versions opens in
 * this one. Audit entries and conflict records then stored `entityType` as the
 * zod enum at RxDB version 0; this release stores it as a bounded string at
 * version 1, so RxDB migrates both collections at the first open.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRxDatabase } from 'rxdb';
import { afterEach, expect, it } from 'vitest';
import { openDatabase } from '../../main/database';
import { loadDeviceIdentity } from '../../main/database/identity';
import { createCoreStorage } from '../../main/database/storage';
import { auditEntrySchema } from '../../shared/audit';
import { conflictRecordSchema } from '../../shared/conflict';
import { AUDIT_INDEXES, deriveRxSchema, entityRxSchema } from '../../shared/rx-schema';
import { dogDoc } from '../server/documents';

let dataDir: string | undefined;
afterEach(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** The collections as the previous release declared them (no overrides, every version 0). */
function previousReleaseCollections() {
  return {
    dog: { schema: entityRxSchema('dog') },
    audit: { schema: deriveRxSchema(auditEntrySchema, AUDIT_INDEXES, { title: 'audit', idLength: 36 }) },
    conflicts: {
      schema: deriveRxSchema(
        conflictRecordSchema,
        [
          ['status', 'detectedAt', 'id'],
          ['entityId', 'id'],
        ],
        { title: 'conflicts', idLength: 200 },
      ),
    },
  };
}

it('SCHEMA-1: a profile of the previous release opens, its audit entries migrated', async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'curio-previous-release-'));
  const identity = await loadDeviceIdentity(dataDir);
  const previous = await createRxDatabase({
    name: identity.databaseName,
    storage: createCoreStorage(dataDir).storage,
    multiInstance: false,
    closeDuplicates: false,
  });
  const collections = await previous.addCollections(previousReleaseCollections());
  const actor = { id: 'local', name: 'Local' };
  const { _deleted, ...dog } = dogDoc(actor, { name: 'Rex' });
  await collections.dog.insert(dog);
  const dogId = String(dog.id);
  const entry = {
    id: randomUUID(),
    rev: randomUUID(),
    at: dog.createdAt,
    actor,
    device: 'laptop',
    action: 'create',
    entityType: 'dog',
    entityId: dogId,
    entityTitle: 'Rex',
    changes: [{ field: 'name', from: null, to: 'Rex' }],
  };
  await collections.audit.insert(entry);
  await previous.close();

  const database = await openDatabase(dataDir);
  try {
    expect(database.audit.schema.version).toBe(1);
    expect((await database.audit.findOne(entry.id).exec())?.toJSON()).toEqual(entry);
    expect((await database.audit.find({ selector: { entityType: 'dog' } }).exec()).map((doc) => doc.primary)).toEqual([
      entry.id,
    ]);
    expect((await database.entities.dog.findOne(dogId).exec())?.get('name')).toBe('Rex');
  } finally {
    await database.close();
  }
});
