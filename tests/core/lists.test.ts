import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityDocument } from '../../shared/entities';
import { appErrorOf, openTestCore, type TestCore } from './helpers';

let core: TestCore;
let trips: EntityDocument<'trip'>[];
const PLACES = ['Oslo', 'Bergen', undefined, 'Lima', 'oslo', undefined, 'Bergen', 'Quito'];

beforeAll(async () => {
  core = await openTestCore();
  trips = [];
  for (let i = 0; i < 24; i++) {
    const location = PLACES[i % PLACES.length];
    const fields = { name: `Trip ${i}`, ...(location ? { location } : {}) };
    trips.push((await core.call.entities.create({ type: 'trip', fields })) as EntityDocument<'trip'>);
  }
  await core.call.trash.trash({
    items: [
      { type: 'trip', id: trips[5]!.id },
      { type: 'trip', id: trips[6]!.id },
    ],
  });
});
afterAll(async () => {
  await core.dispose();
});

/** Absent values first ascending (last descending), then by id: the order the list promises. */
function expectedOrder(field: 'location' | 'name', direction: 'asc' | 'desc') {
  const live = trips.filter((_, i) => i !== 5 && i !== 6);
  const key = (t: EntityDocument<'trip'>) => [t[field] === undefined ? 0 : 1, t[field] ?? '', t.id] as const;
  const sorted = [...live].sort((a, b) => {
    const [ka, kb] = [key(a), key(b)];
    for (let i = 0; i < 3; i++) if (ka[i] !== kb[i]) return ka[i]! < kb[i]! ? -1 : 1;
    return 0;
  });
  return (direction === 'asc' ? sorted : sorted.reverse()).map((t) => t.id);
}

async function allPages(field: 'location' | 'name', direction: 'asc' | 'desc', limit: number) {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: { id: string }[]; nextCursor: string | null } = await core.call.entities.list({
      type: 'trip',
      sort: { field, direction },
      cursor,
      limit,
    });
    ids.push(...page.items.map((item) => item.id));
    cursor = page.nextCursor;
  } while (cursor);
  return ids;
}

describe('lists', () => {
  it.each([
    ['location', 'asc'],
    ['location', 'desc'],
    ['name', 'asc'],
    ['name', 'desc'],
  ] as const)('pages through live entries by %s %s with a cursor, each exactly once', async (field, direction) => {
    expect(await allPages(field, direction, 5)).toEqual(expectedOrder(field, direction));
  });

  it('filters by field values and lists only trashed entries in the trash view', async () => {
    const bergen = await core.call.entities.list({ type: 'trip', filters: { location: 'Bergen' } });
    expect(bergen.items.map((t) => t.id).sort()).toEqual(
      trips
        .filter((t, i) => t.location === 'Bergen' && i !== 6)
        .map((t) => t.id)
        .sort(),
    );
    const either = await core.call.entities.list({ type: 'trip', filters: { location: ['Lima', 'Quito'] } });
    expect(either.items).toHaveLength(6);
    const trash = await core.call.entities.list({ type: 'trip', view: 'trash' });
    expect(trash.items.map((t) => t.id).sort()).toEqual([trips[5]!.id, trips[6]!.id].sort());
  });

  it('filters list fields by "contains"', async () => {
    const person = (await core.call.entities.create({
      type: 'person',
      fields: { name: 'Lin' },
    })) as EntityDocument<'person'>;
    const video = await core.call.entities.create({
      type: 'video',
      fields: { title: 'With Lin', people: [person.id] },
    });
    await core.call.entities.create({ type: 'video', fields: { title: 'Alone' } });
    const found = await core.call.entities.list({ type: 'video', filters: { people: person.id } });
    expect(found.items.map((v) => v.id)).toEqual([video.id]);
  });

  it('refuses unknown sort and filter fields and foreign cursors with VALIDATION', async () => {
    const sort = await appErrorOf(core.call.entities.list({ type: 'trip', sort: { field: 'bio', direction: 'asc' } }));
    expect(sort).toMatchObject({
      appCode: 'VALIDATION',
      message: expect.stringContaining('Cannot sort trips by "bio"'),
    });
    const filter = await appErrorOf(core.call.entities.list({ type: 'trip', filters: { nope: 'x' } }));
    expect(filter).toMatchObject({ appCode: 'VALIDATION', message: expect.stringContaining('no field "nope"') });
    const page = await core.call.entities.list({ type: 'trip', limit: 2, sort: { field: 'name', direction: 'asc' } });
    const cursor = await appErrorOf(
      core.call.entities.list({ type: 'trip', cursor: page.nextCursor, sort: { field: 'location', direction: 'asc' } }),
    );
    expect(cursor.appCode).toBe('VALIDATION');
  });

  it('counts live and trashed entries per type', async () => {
    const counts = await core.call.entities.counts();
    expect(counts.trip).toEqual({ live: 22, trash: 2 });
    expect(Object.keys(counts).sort()).toEqual(['dog', 'person', 'series', 'trip', 'video']);
  });
});

describe('search', () => {
  it('finds entries across types by title and aliases, whole words before prefixes, not inside words', async () => {
    await core.call.entities.create({ type: 'dog', fields: { name: 'Bo', aliases: ['Bobo'] } });
    await core.call.entities.create({ type: 'person', fields: { name: 'Bob Ross' } });
    await core.call.entities.create({ type: 'series', fields: { name: 'Jumbo walks' } });
    await core.call.entities.create({ type: 'person', fields: { name: 'Zed', aliases: ['bo'] } });
    const hits = await core.call.entities.search({ query: 'bo' });
    expect(hits.map((h) => [h.title, h.rank])).toEqual([
      ['Bo', 'exact'],
      ['Zed', 'exact'],
      ['Bob Ross', 'prefix'],
    ]);
    expect(hits[1]).toMatchObject({ type: 'person', matched: 'bo' });
    const dogsOnly = await core.call.entities.search({ query: 'bo', types: ['dog'] });
    expect(dogsOnly.map((h) => h.title)).toEqual(['Bo']);
  });

  it('follows changes: renamed entries are found by the new name, trashed ones only on request', async () => {
    const dog = (await core.call.entities.create({ type: 'dog', fields: { name: 'Quincy' } })) as EntityDocument<'dog'>;
    expect(await core.call.entities.search({ query: 'quincy' })).toHaveLength(1);
    await core.call.entities.update({ type: 'dog', id: dog.id, rev: dog.rev, fields: { name: 'Quark' } });
    expect(await core.call.entities.search({ query: 'quincy' })).toHaveLength(0);
    await core.call.trash.trash({ items: [{ type: 'dog', id: dog.id }] });
    expect(await core.call.entities.search({ query: 'quark' })).toHaveLength(0);
    expect(await core.call.entities.search({ query: 'quark', includeTrash: true })).toMatchObject([{ inTrash: true }]);
  });
});
