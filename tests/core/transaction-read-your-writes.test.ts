import { describe, expect, it } from 'vitest';
import type { RxDocument } from 'rxdb';
import type { AnyCollection, DocumentData } from '../../main/database';
import { TestClock, useCorePerTest } from './helpers';

const clock = new TestClock('2026-03-01T12:00:00.000Z');
const core = useCorePerTest(clock);

type Doc = RxDocument<DocumentData>;

function database() {
  return core.context.database!;
}

/** A stored dog Rex and its collection, with Rex already in RxDB's caches (found by id and by a query). */
async function rexCached(): Promise<{ dogs: AnyCollection; id: string }> {
  const rex = (await core.call.entities.create({ type: 'dog', fields: { name: 'Rex' } })) as DocumentData;
  const dogs = database().entities.dog;
  const id = rex.id as string;
  await dogs.findOne(id).exec();
  await dogs.find({ selector: { name: 'Rex' } }).exec();
  return { dogs, id };
}

/** What every way of reading Rex answers in the current async context. */
async function breedsSeen(dogs: AnyCollection, id: string, held?: Doc) {
  const byId = (await dogs.findOne(id).exec()) as Doc | null;
  const byIds = await dogs.findByIds([id]).exec();
  const byQuery = (await dogs.find({ selector: { name: 'Rex' } }).exec()) as Doc[];
  return {
    findOne: byId?.get('breed') ?? null,
    findByIds: byIds.get(id)?.get('breed') ?? null,
    find: byQuery[0]?.get('breed') ?? null,
    ...(held ? { getLatest: held.getLatest().get('breed') ?? null } : {}),
  };
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

describe('a storage transaction reads its own writes', () => {
  it('reads a document written in the transaction as written, and writes it again without a conflict', async () => {
    const { dogs, id } = await rexCached();
    const events: unknown[] = [];
    const subscription = dogs.$.subscribe((event) => events.push(event.documentData));

    await database().transaction(async () => {
      const first = (await dogs.findOne(id).exec()) as Doc;
      await first.modify((data) => ({ ...data, breed: 'Husky' }));

      expect(await breedsSeen(dogs, id, first)).toEqual({
        findOne: 'Husky',
        findByIds: 'Husky',
        find: 'Husky',
        getLatest: 'Husky',
      });
      // Before the fix this copy was the one from before the first write: CONFLICT.
      const again = (await dogs.findOne(id).exec()) as Doc;
      await again.modify((data) => ({ ...data, color: 'grey' }));
      expect(((await dogs.findOne(id).exec()) as Doc).toJSON()).toMatchObject({ breed: 'Husky', color: 'grey' });
      expect(events).toEqual([]);
    });

    subscription.unsubscribe();
    expect(events).toMatchObject([{ breed: 'Husky' }, { breed: 'Husky', color: 'grey' }]);
    expect(await core.call.entities.get({ type: 'dog', id })).toMatchObject({ breed: 'Husky', color: 'grey' });
  });

  it('shows readers outside the transaction only committed data while it is open', async () => {
    const { dogs, id } = await rexCached();
    const written = deferred();
    const release = deferred();

    const transaction = database().transaction(async () => {
      const rex = (await dogs.findOne(id).exec()) as Doc;
      await rex.modify((data) => ({ ...data, breed: 'Husky' }));
      const seenInside = await breedsSeen(dogs, id);
      written.resolve();
      await release.promise;
      return seenInside;
    });

    await written.promise;
    expect(await breedsSeen(dogs, id)).toEqual({ findOne: null, findByIds: null, find: null });
    release.resolve();
    expect(await transaction).toEqual({ findOne: 'Husky', findByIds: 'Husky', find: 'Husky' });
    expect(await breedsSeen(dogs, id)).toEqual({ findOne: 'Husky', findByIds: 'Husky', find: 'Husky' });
  });

  it('keeps nothing of a rolled-back transaction, in the store or in RxDB caches', async () => {
    const { dogs, id } = await rexCached();
    const events: unknown[] = [];
    const subscription = dogs.$.subscribe((event) => events.push(event));

    await expect(
      database().transaction(async () => {
        const rex = (await dogs.findOne(id).exec()) as Doc;
        await rex.modify((data) => ({ ...data, breed: 'Husky' }));
        await ((await dogs.findOne(id).exec()) as Doc).modify((data) => ({ ...data, color: 'grey' }));
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');

    subscription.unsubscribe();
    expect(events).toEqual([]);
    const rex = (await dogs.findOne(id).exec()) as Doc;
    expect(await breedsSeen(dogs, id, rex)).toEqual({ findOne: null, findByIds: null, find: null, getLatest: null });
    expect(rex.get('color') ?? null).toBeNull();
    // The committed version is the one to write on.
    await rex.modify((data) => ({ ...data, breed: 'Collie' }));
    expect(await core.call.entities.get({ type: 'dog', id })).toMatchObject({ breed: 'Collie' });
  });
});
