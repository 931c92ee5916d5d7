import { createRxDatabase, addRxPlugin, type RxDatabase } from 'rxdb';
import { RxDBDevModePlugin } from 'rxdb/plugins/dev-mode';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ENTITY_TYPES, entities } from '../../shared/entities';
import { allRxCollections, deriveRxSchema, entityRxSchema } from '../../shared/rx-schema';
import { wrappedValidateZodStorage } from '../../shared/rx-zod-validator';
import { generateCatalog } from '../../shared/sample';

addRxPlugin(RxDBDevModePlugin);
addRxPlugin(RxDBMigrationSchemaPlugin);

let database: RxDatabase | undefined;
afterEach(async () => {
  await database?.remove();
  database = undefined;
});

describe('derived RxDB schemas', () => {
  it('are accepted by RxDB (dev-mode checks) and round-trip a document of each type', async () => {
    database = await createRxDatabase({
      name: `schema-test-${Date.now()}`,
      storage: wrappedValidateZodStorage({ storage: getRxStorageMemory() }),
      ignoreDuplicate: true,
    });
    await database.addCollections(allRxCollections());

    const catalog = generateCatalog({ video: 2, person: 2, dog: 2, trip: 2, series: 2 }, 7);
    for (const type of ENTITY_TYPES) {
      const original = catalog[type][0]!;
      await database.collections[type]!.insert(original);
      const stored = await database.collections[type]!.findOne(original.id).exec();
      expect(stored?.toJSON()).toEqual(original);
    }
  });

  it('index every list column with deletedAt first, and deletedAt alone', () => {
    for (const type of ENTITY_TYPES) {
      const indexes = entityRxSchema(type).indexes as string[][];
      expect(indexes).toContainEqual(['deletedAt', 'id']);
      for (const column of entities[type].listColumns) {
        expect(indexes).toContainEqual(['deletedAt', column.field, 'id']);
      }
    }
  });

  it('follow the zod schema: a changed zod field changes the derived schema', () => {
    const before = deriveRxSchema(z.object({ id: z.uuid(), name: z.string().max(50) }), [['name', 'id']], {
      title: 't',
      idLength: 36,
    });
    const after = deriveRxSchema(
      z.object({ id: z.uuid(), name: z.string().max(80), extra: z.number() }),
      [['name', 'id']],
      {
        title: 't',
        idLength: 36,
      },
    );
    expect(before.properties.name).toEqual({ type: 'string', maxLength: 50 });
    expect(after.properties.name).toEqual({ type: 'string', maxLength: 80 });
    expect(after.properties.extra).toEqual({ type: 'number' });
    expect(entityRxSchema('person').properties.name).toEqual({ type: 'string', maxLength: 200 });
  });

  it('refuse to index a field without bounds, with a message that says how to fix it', () => {
    expect(() =>
      deriveRxSchema(z.object({ id: z.uuid(), note: z.string() }), [['note']], { title: 't', idLength: 36 }),
    ).toThrow('Cannot index "note": give it a maximum length in its zod schema.');
  });

  it('validate writes with the zod schemas: an invalid document is refused with its field and message', async () => {
    database = await createRxDatabase({
      name: `schema-validate-${Date.now()}`,
      storage: wrappedValidateZodStorage({ storage: getRxStorageMemory() }),
      ignoreDuplicate: true,
    });
    await database.addCollections({ series: { schema: entityRxSchema('series') } });
    const [doc] = generateCatalog({ video: 0, person: 0, dog: 0, trip: 0, series: 1 }, 3).series;
    await expect(database.collections.series!.insert({ ...doc!, name: '' })).rejects.toMatchObject({
      code: 'VD2',
      parameters: {
        writeError: { validationErrors: [expect.objectContaining({ field: 'name', message: 'Name is required.' })] },
      },
    });
    expect(await database.collections.series!.count().exec()).toBe(0);
  });
});
