import { v7 as uuidv7 } from 'uuid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EntityDocument } from '../../shared/entities';
import { nextMatching, openTestCore, subscribe, type TestCore } from './helpers';

let core: TestCore;
beforeEach(async () => {
  core = await openTestCore();
});
afterEach(async () => {
  await core.dispose();
});

/** A dog written as a sync pull writes it (no service, so no uniqueness check): another device's "Rex". */
async function pullDog(fields: { name: string; breed?: string }, createdAt = '2026-12-01T10:00:00.000Z') {
  const bob = { id: 'bob', name: 'Bob' };
  const document = { id: uuidv7(), rev: uuidv7(), createdAt, createdBy: bob, updatedAt: createdAt, updatedBy: bob };
  await core.context.database.entities.dog.insert({
    ...document,
    deletedAt: null,
    deletedBy: null,
    aliases: [],
    photoVisible: true,
    ...fields,
  } as never);
  return document.id;
}

/** The subscription's next value (it must not have ended). */
async function nextValue<T>(iterator: AsyncIterator<T>): Promise<T> {
  const result = await iterator.next();
  if (result.done) throw new Error('The subscription ended.');
  return result.value;
}

const createDog = async (fields: { name: string; breed?: string }) =>
  (await core.call.entities.create({ type: 'dog', fields })) as EntityDocument<'dog'>;

describe('namesakes: live entries that share a unique name after a sync', () => {
  it('names the other live dog with the same name ignoring case, with what tells them apart', async () => {
    const rex = await createDog({ name: 'Rex', breed: 'Collie' });
    await createDog({ name: 'Rexa' });
    const theirs = await pullDog({ name: 'rex', breed: 'Husky' });
    const live = await subscribe(core.call.entities.onNamesakes({ type: 'dog', id: rex.id }));
    const first = await nextValue(live);
    expect(first.names).toEqual([{ field: 'name', value: 'Rex' }]);
    expect(first.others).toEqual([
      {
        id: theirs,
        field: 'name',
        value: 'rex',
        detail: 'Husky',
        createdAt: '2026-12-01T10:00:00.000Z',
        createdBy: 'Bob',
      },
    ]);
    // And the other way round.
    const back = await subscribe(core.call.entities.onNamesakes({ type: 'dog', id: theirs }));
    expect((await nextValue(back)).others.map((other) => other.id)).toEqual([rex.id]);
    await back.return?.();
    await live.return?.();
  });

  it('follows a pull that brings a namesake, a rename and a trash, and ignores unrelated writes', async () => {
    const rex = await createDog({ name: 'Rex' });
    const live = await subscribe(core.call.entities.onNamesakes({ type: 'dog', id: rex.id }));
    expect((await nextValue(live)).others).toEqual([]);

    const theirs = await pullDog({ name: 'REX' });
    await nextMatching(live, (value) => value.others.length === 1 && value.others[0]!.id === theirs);

    // A write that concerns neither dog does not wake the subscription: the value waited for is the rename's.
    const waiting = nextValue(live);
    await createDog({ name: 'Max' });
    await core.call.entities.update({ type: 'dog', id: theirs, fields: { name: 'Rex II' }, bases: { name: 'REX' } });
    expect((await waiting).others).toEqual([]);

    const third = await pullDog({ name: 'rEx' });
    expect((await nextValue(live)).others.map((other) => other.id)).toEqual([third]);
    await core.call.trash.trash({ items: [{ type: 'dog', id: third }] });
    expect((await nextValue(live)).others).toEqual([]);
    await live.return?.();
  });

  it('has none for an entry in the trash or deleted permanently', async () => {
    const rex = await createDog({ name: 'Rex' });
    await pullDog({ name: 'Rex' });
    await core.call.trash.trash({ items: [{ type: 'dog', id: rex.id }] });
    const live = await subscribe(core.call.entities.onNamesakes({ type: 'dog', id: rex.id }));
    expect(await nextValue(live)).toEqual({ names: [], others: [] });
    await core.call.trash.deletePermanently({ items: [{ type: 'dog', id: rex.id }], confirm: true });
    expect(await nextValue(live)).toEqual({ names: [], others: [] });
    await live.return?.();
  });
});
