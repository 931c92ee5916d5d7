import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTITY_TYPES, entities, type EntityDocument } from '../../shared/entities';
import { generateCatalog } from '../../shared/sample';
import { openTestCore, type TestCore } from './helpers';

let core: TestCore;
const search = (
  query: string,
  options: { types?: ('video' | 'dog' | 'person' | 'trip' | 'series')[]; includeTrash?: boolean } = {},
) => core.call.entities.search({ query, ...options });
/** The highlighted words of a hit, as the renderer cuts them out of `matched`. */
const highlighted = (hit: { matched: string; ranges: [number, number][] }) =>
  hit.ranges.map(([start, end]) => hit.matched.slice(start, end));

beforeAll(async () => {
  core = await openTestCore();
  const create = (type: 'video' | 'dog' | 'person' | 'trip' | 'series', fields: Record<string, unknown>) =>
    core.call.entities.create({ type, fields } as never);
  await create('video', { title: 'Dogs swimming below Skógafoss', description: 'A cold morning in Iceland.' });
  await create('video', { title: 'Harbour walk', description: 'Biscuit found the waterfall trail near Skogafoss.' });
  await create('dog', { name: 'Biscuit', breed: 'Beagle', aliases: ['Biscuit the Brave'] });
  await create('person', { name: 'Ása Jónsdóttir', bio: 'Walks dogs in Reykjavík.' });
  await create('trip', { name: 'Iceland 2025', location: 'Reykjavík' });
});
afterAll(async () => {
  await core.dispose();
});

describe('full-text search', () => {
  it('ranks a title match above a description match and highlights the matched words', async () => {
    const hits = await search('skogafoss');
    expect(hits.map((hit) => [hit.title, hit.field])).toEqual([
      ['Dogs swimming below Skógafoss', 'title'],
      ['Harbour walk', 'description'],
    ]);
    expect(highlighted(hits[0]!)).toEqual(['Skógafoss']);
    expect(highlighted(hits[1]!)).toEqual(['Skogafoss']);
    expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
  });

  it('finds every text field: breeds, bios, locations', async () => {
    expect((await search('beagle')).map((hit) => hit.title)).toEqual(['Biscuit']);
    expect((await search('walks dogs')).map((hit) => [hit.title, hit.field])).toEqual([['Ása Jónsdóttir', 'bio']]);
    expect((await search('reykjavik', { types: ['trip'] })).map((hit) => [hit.title, hit.field])).toEqual([
      ['Iceland 2025', 'location'],
    ]);
  });

  it('searches every text field of every type, and says which one matched', async () => {
    for (const type of ENTITY_TYPES) {
      const { titleField, searchFields } = entities[type];
      for (const field of searchFields as string[]) {
        const word = `probe${type}${field}`.toLowerCase();
        const fields = { [titleField]: `Probe ${type} ${field}`, [field]: field === 'aliases' ? [word] : word };
        await core.call.entities.create({ type, fields } as never);
        expect(
          (await search(word)).map((hit) => [hit.type, hit.field]),
          word,
        ).toEqual([[type, field]]);
      }
    }
  });

  it('tolerates one typo in words of five letters or more, not in shorter ones', async () => {
    const hits = await search('skogafos');
    expect(hits.map((hit) => hit.title)).toContain('Dogs swimming below Skógafoss');
    expect(highlighted(hits[0]!)).toEqual(['Skógafoss']);
    expect((await search('skogafoos')).map((hit) => [hit.title, hit.rank])).toContainEqual([
      'Dogs swimming below Skógafoss',
      'fuzzy',
    ]);
    expect((await search('biscit')).map((hit) => hit.title)).toContain('Biscuit');
    expect(await search('bscu')).toEqual([]);
  });

  it('matches prefixes as the user types, and folds case and accents both ways', async () => {
    expect((await search('Bisc')).map((hit) => [hit.title, hit.rank])).toContainEqual(['Biscuit', 'prefix']);
    expect((await search('asa jonsd')).map((hit) => hit.title)).toEqual(['Ása Jónsdóttir']);
    expect((await search('SKÓGAFOSS')).map((hit) => hit.title)).toHaveLength(2);
  });

  it('finds letters that do not decompose (ø, æ, ß, ł) typed without them and back, highlighted as written', async () => {
    const person = (await core.call.entities.create({
      type: 'person',
      fields: { name: 'Bjørn Ødegård', bio: 'Grew up in Tromsø, then lived on the Hauptstraße in Łódź.' },
    })) as EntityDocument<'person'>;
    await core.call.entities.create({ type: 'dog', fields: { name: 'Loki', aliases: ['Æsir hound'] } });
    await core.call.entities.create({ type: 'trip', fields: { name: 'Tromso 2026', location: 'Tromso' } });
    const found = async (query: string) =>
      (await search(query)).map((hit) => [hit.title, hit.field, hit.matched, highlighted(hit)]);
    const bio = ['Bjørn Ødegård', 'bio', person.bio];
    expect(await found('bjorn')).toEqual([['Bjørn Ødegård', 'name', 'Bjørn Ødegård', ['Bjørn']]]);
    expect(await found('odeg')).toEqual([['Bjørn Ødegård', 'name', 'Bjørn Ødegård', ['Ødegård']]]);
    expect(await found('hauptstrasse')).toEqual([[...bio, ['Hauptstraße']]]);
    expect(await found('lodz')).toEqual([[...bio, ['Łódź']]]);
    expect(await found('aesir')).toEqual([['Loki', 'aliases', 'Æsir hound', ['Æsir']]]);
    // Both ways: the text with the letter and the text without it, whichever the query has.
    for (const query of ['tromso', 'tromsø', 'TROMSØ']) {
      expect(await found(query), query).toEqual([
        ['Tromso 2026', 'name', 'Tromso 2026', ['Tromso']],
        [...bio, ['Tromsø']],
      ]);
    }
    // An edit of the letter alone reaches the shown text.
    await core.call.entities.update({
      type: 'person',
      id: person.id,
      rev: person.rev,
      fields: { bio: 'Grew up in Tromso.' },
    });
    expect(await found('tromsø')).toContainEqual(['Bjørn Ødegård', 'bio', 'Grew up in Tromso.', ['Tromso']]);
    expect(await search('lodz')).toEqual([]);
  });

  it('shows the alias that matched and filters by type', async () => {
    const [hit] = await search('brave');
    expect(hit).toMatchObject({ title: 'Biscuit', field: 'aliases', matched: 'Biscuit the Brave' });
    expect(highlighted(hit!)).toEqual(['Brave']);
    expect((await search('biscuit', { types: ['video'] })).map((h) => h.title)).toEqual(['Harbour walk']);
    expect((await search('biscuit', { types: ['dog'] })).map((h) => h.title)).toEqual(['Biscuit']);
  });

  it('finds an edit right after saving, and trashed entries only on request', async () => {
    expect(await search('quinzy')).toEqual([]);
    const dog = (await core.call.entities.create({
      type: 'dog',
      fields: { name: 'Quincy' },
    })) as EntityDocument<'dog'>;
    expect((await search('quincy')).map((hit) => hit.id)).toEqual([dog.id]);
    // A word written since a search is also found one typo away (no stale list of known words).
    expect((await search('quinzy')).map((hit) => hit.id)).toEqual([dog.id]);
    await core.call.entities.update({
      type: 'dog',
      id: dog.id,
      rev: dog.rev,
      fields: { name: 'Quark', breed: 'Whippet' },
    });
    expect(await search('quincy')).toEqual([]);
    expect((await search('whippet')).map((hit) => hit.id)).toEqual([dog.id]);
    await core.call.trash.trash({ items: [{ type: 'dog', id: dog.id }] });
    expect(await search('quark')).toEqual([]);
    expect(await search('quark', { includeTrash: true })).toMatchObject([{ id: dog.id, inTrash: true }]);
  });
});

it('indexes writes that bypass the services, as replication and restores make them', async () => {
  const written = (await core.call.entities.create({
    type: 'trip',
    fields: { name: 'Faroe 2024' },
  })) as EntityDocument<'trip'>;
  const document = await core.context.database.entities.trip.findOne(written.id).exec();
  await document!.incrementalPatch({ location: 'Tórshavn harbour' });
  expect((await search('torshavn')).map((hit) => [hit.title, hit.field])).toEqual([['Faroe 2024', 'location']]);
});

it('keeps the index in the profile: entries are found after reopening it', async () => {
  const first = await openTestCore();
  await first.call.entities.create({ type: 'series', fields: { name: 'Waterfalls', description: 'Skogafoss again' } });
  await first.close();
  const again = await openTestCore({ dataDir: first.dataDir });
  try {
    expect((await again.call.entities.search({ query: 'waterfal' })).map((hit) => hit.title)).toEqual(['Waterfalls']);
  } finally {
    await again.dispose();
  }
});

describe('many matches', () => {
  it('puts a title match first even behind hundreds of earlier text matches, from one letter on', async () => {
    // Written as a sync pull would, in one batch: more matches than the ranked candidates (300).
    const { series } = generateCatalog({ video: 0, person: 0, dog: 0, trip: 0, series: 320 }, 7);
    await core.context.database.entities.series.bulkInsert(
      series.map((entry, i) => ({ ...entry, name: `Season ${i}`, description: 'Orchard trail' })),
    );
    const dog = (await core.call.entities.create({ type: 'dog', fields: { name: 'Orla' } })) as EntityDocument<'dog'>;
    for (const query of ['o', 'or', 'orl', 'orla']) expect((await search(query))[0]?.id, query).toBe(dog.id);
    const hits = await search('orchard');
    expect(hits).toHaveLength(20);
    expect(hits.every((hit) => hit.field === 'description' && hit.rank === 'exact')).toBe(true);
  });

  it('takes the last word as typed so far and the ones before it as whole words', async () => {
    expect((await search('harbour wa')).map((hit) => hit.title)).toEqual(['Harbour walk']);
    expect(await search('harb walk')).toEqual([]);
  });
});
