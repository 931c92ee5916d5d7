import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appErrorOf, openTestCore, type TestCore } from './helpers';

let core: TestCore;
const ids: Record<string, string> = {};

beforeAll(async () => {
  core = await openTestCore();
  const create = async (key: string, type: 'video' | 'dog' | 'person' | 'trip' | 'series', fields: object) => {
    ids[key] = (await core.call.entities.create({ type, fields } as never)).id;
  };
  await create('biscuit', 'dog', { name: 'Biscuit' });
  await create('rex', 'dog', { name: 'Rex' });
  await create('ann', 'person', { name: 'Ann' });
  await create('iceland', 'trip', { name: 'Iceland 2025' });
  await create('walks', 'series', { name: 'Walks' });
  await create('swim', 'video', {
    title: 'Swim below Skogafoss',
    dogs: [ids.biscuit, ids.rex],
    people: [ids.ann],
    tripId: ids.iceland,
    seriesId: ids.walks,
  });
  await create('harbour', 'video', { title: 'Harbour walk', dogs: [ids.biscuit], tripId: ids.iceland });
  await create('alone', 'video', { title: 'A walk alone' });
});
afterAll(async () => {
  await core.dispose();
});

const backLinks = (type: 'dog' | 'person' | 'trip' | 'series' | 'video', key: string) =>
  core.call.links.backLinks({ type, id: ids[key]! });

describe('back-links: "appears in N videos"', () => {
  it('lists the videos that link to a dog, a person, a trip and a series, by title', async () => {
    const biscuit = await backLinks('dog', 'biscuit');
    expect(biscuit.summary).toBe('Appears in 2 videos.');
    expect(biscuit.groups).toHaveLength(1);
    expect(biscuit.groups[0]!.items.map((item) => [item.title, item.field, item.inTrash])).toEqual([
      ['Harbour walk', 'dogs', false],
      ['Swim below Skogafoss', 'dogs', false],
    ]);
    expect((await backLinks('person', 'ann')).summary).toBe('Appears in 1 video.');
    expect((await backLinks('trip', 'iceland')).groups[0]!.count).toBe(2);
    expect((await backLinks('series', 'walks')).groups[0]!.items.map((item) => item.id)).toEqual([ids.swim]);
    // Nothing links to videos, so a video has no groups.
    expect((await backLinks('video', 'alone')).groups).toEqual([]);
  });

  it('follows edits: an unlinked video leaves, a newly linked one arrives', async () => {
    await core.call.entities.update({
      type: 'video',
      id: ids.harbour!,
      fields: { dogs: [ids.rex!] },
      bases: { dogs: [ids.biscuit!] },
    });
    expect((await backLinks('dog', 'biscuit')).groups[0]!.items.map((item) => item.title)).toEqual([
      'Swim below Skogafoss',
    ]);
    expect((await backLinks('dog', 'rex')).summary).toBe('Appears in 2 videos.');
  });

  it('counts a video in the trash apart, and forgets a video deleted permanently', async () => {
    await core.call.trash.trash({ items: [{ type: 'video', id: ids.swim! }] });
    const rex = await backLinks('dog', 'rex');
    expect(rex.summary).toBe('Appears in 1 video.');
    expect(rex.groups[0]!.inTrash).toBe(1);
    expect(rex.groups[0]!.items.map((item) => [item.title, item.inTrash])).toEqual([
      ['Harbour walk', false],
      ['Swim below Skogafoss', true],
    ]);
    await core.call.trash.deletePermanently({ items: [{ type: 'video', id: ids.swim! }], confirm: true });
    const after = await backLinks('dog', 'rex');
    expect(after.groups[0]!.inTrash).toBe(0);
    expect(after.groups[0]!.items.map((item) => item.title)).toEqual(['Harbour walk']);
    expect((await backLinks('person', 'ann')).summary).toBe('Appears in no videos.');
  });

  it('gives titles of linked entries by id, for list columns and chips', async () => {
    const titles = await core.call.links.titles({
      refs: [
        { type: 'dog', ids: [ids.biscuit!, ids.rex!] },
        { type: 'trip', ids: [ids.iceland!, 'no-such-id'] },
      ],
    });
    expect(titles).toEqual({ [ids.biscuit!]: 'Biscuit', [ids.rex!]: 'Rex', [ids.iceland!]: 'Iceland 2025' });
  });

  it('refuses an entry that does not exist', async () => {
    const error = await appErrorOf(core.call.links.backLinks({ type: 'dog', id: 'no-such-dog' }));
    expect(error.appCode).toBe('NOT_FOUND');
    expect(error.message).toContain('No dog with id no-such-dog exists');
  });
});

describe('back-links index', () => {
  it('is kept in the profile: after reopening, links are there without a rebuild and still follow writes', async () => {
    const first = await openTestCore();
    const dog = await first.call.entities.create({ type: 'dog', fields: { name: 'Moss' } });
    await first.call.entities.create({ type: 'video', fields: { title: 'Moss swims', dogs: [dog.id] } });
    await first.close();
    const again = await openTestCore({ dataDir: first.dataDir });
    try {
      expect((await again.call.links.backLinks({ type: 'dog', id: dog.id })).summary).toBe('Appears in 1 video.');
      await again.call.entities.create({ type: 'video', fields: { title: 'Moss again', dogs: [dog.id] } });
      expect((await again.call.links.backLinks({ type: 'dog', id: dog.id })).summary).toBe('Appears in 2 videos.');
    } finally {
      await again.dispose();
    }
  });
});
