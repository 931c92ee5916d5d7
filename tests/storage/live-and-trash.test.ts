import { createRxDatabase, type RxCollection, type RxDatabase } from 'rxdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getRxStorageSqlite, type SqliteInternals } from '../../main/storage';
import { sqlPlan } from '../../main/storage/query';
import { entityRxSchema } from '../../shared/rx-schema';
import { wrappedValidateZodStorage } from '../../shared/rx-zod-validator';
import { generateCatalog } from '../../shared/sample';
import { tempDirectory, uniqueName } from './helpers';

const LIVE = { deletedAt: null };
const TRASH = { deletedAt: { $gt: '' } };

describe('sqlite storage: the live and trash selectors of the core', () => {
  let temp: ReturnType<typeof tempDirectory>;
  let db: RxDatabase<{ person: RxCollection }>;
  const people = generateCatalog({ video: 0, person: 300, dog: 0, trip: 0, series: 0 }, 3).person.map((person, i) =>
    i % 3 === 0 ? { ...person, deletedAt: '2026-02-01T00:00:00.000Z', deletedBy: person.createdBy } : person,
  );

  beforeAll(async () => {
    temp = tempDirectory();
    db = await createRxDatabase({
      name: uniqueName('profile'),
      storage: wrappedValidateZodStorage({ storage: getRxStorageSqlite({ directory: temp.directory }) }),
      multiInstance: false,
    });
    await db.addCollections({ person: { schema: entityRxSchema('person') } });
    await db.person.bulkInsert(people);
  });
  afterAll(async () => {
    await db.close();
    temp.cleanup();
  });

  const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

  it('live: { deletedAt: null } gives exactly the entries not in the trash, sorted, paged', async () => {
    const expected = people.filter((p) => p.deletedAt === null).map((p) => p.name);
    expected.sort(byName);
    const page = await db.person.find({ selector: LIVE, sort: [{ name: 'asc' }], limit: 50 }).exec();
    expect(page.map((d) => d.name)).toEqual(expected.slice(0, 50));
    expect(await db.person.count({ selector: LIVE }).exec()).toBe(200);
  });

  it('trash: { deletedAt: { $gt: "" } } gives exactly the entries in the trash', async () => {
    const expected = people.filter((p) => p.deletedAt !== null).map((p) => p.name);
    expected.sort(byName);
    const trash = await db.person.find({ selector: TRASH, sort: [{ name: 'asc' }] }).exec();
    expect(trash.map((d) => d.name)).toEqual(expected);
    expect(await db.person.count({ selector: TRASH }).exec()).toBe(100);
  });

  it('runs both as exact index ranges; the live page in index order, so it stops after one page', () => {
    const collection = db.person;
    const table = (collection.storageInstance.internals as SqliteInternals).table;
    const schema = collection.schema.jsonSchema;
    const plan = (selector: object, sort: object[]) =>
      sqlPlan(table, collection.find({ selector, sort } as never).getPreparedQuery() as never);
    expect(plan(LIVE, [{ name: 'asc' }])).toMatchObject({ exact: true, sorted: true });
    expect(plan(LIVE, [{ name: 'desc' }, { id: 'desc' }])).toMatchObject({ exact: true, sorted: true });
    expect(plan(TRASH, [{ name: 'asc' }])).toMatchObject({ exact: true });
    expect(schema.indexes).toContainEqual(['_deleted', 'deletedAt', 'name', 'id']);
  });
});
