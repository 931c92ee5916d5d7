import { describe, expect, it } from 'vitest';
import { ENTITY_TYPES, entities } from '../../shared/entities';
import { countsForTotal, generateCatalog, SAMPLE_CATALOG_COUNTS, SAMPLE_CATALOG_SEED } from '../../shared/sample';

describe('sample data generator', () => {
  const counts = countsForTotal(10_000);
  const catalog = generateCatalog(counts, 42);

  it('produces the requested number of documents, all valid', () => {
    let total = 0;
    for (const type of ENTITY_TYPES) {
      expect(catalog[type]).toHaveLength(counts[type]);
      for (const doc of catalog[type]) {
        const result = entities[type].documentSchema.safeParse(doc);
        if (!result.success) throw new Error(`${type} ${doc.id}: ${result.error.message}`);
      }
      total += catalog[type].length;
    }
    expect(total).toBe(10_000);
  });

  it('gives unique ids and unique names where names must be unique', () => {
    const ids = ENTITY_TYPES.flatMap((type) => catalog[type].map((doc) => doc.id));
    expect(new Set(ids).size).toBe(ids.length);
    for (const type of ENTITY_TYPES) {
      for (const field of entities[type].uniqueFields) {
        const values = catalog[type].map((doc) => String((doc as Record<string, unknown>)[field]).toLowerCase());
        expect(new Set(values).size, `${type}.${field}`).toBe(values.length);
      }
    }
  });

  it('makes every reference point at an existing document of the right type', () => {
    const idsOf = (type: 'person' | 'dog' | 'trip' | 'series') => new Set(catalog[type].map((doc) => doc.id));
    const people = idsOf('person');
    const dogs = idsOf('dog');
    const trips = idsOf('trip');
    const series = idsOf('series');
    let references = 0;
    for (const video of catalog.video) {
      for (const id of video.people) expect(people.has(id)).toBe(true);
      for (const id of video.dogs) expect(dogs.has(id)).toBe(true);
      if (video.tripId) expect(trips.has(video.tripId)).toBe(true);
      if (video.seriesId) expect(series.has(video.seriesId)).toBe(true);
      references += video.people.length + video.dogs.length;
    }
    expect(references).toBeGreaterThan(counts.video);
  });

  it('is deterministic: the same seed gives the same output, another seed does not', () => {
    expect(generateCatalog(counts, 42)).toEqual(catalog);
    expect(generateCatalog(counts, 43).video[0]!.id).not.toBe(catalog.video[0]!.id);
  });
});

describe('the sample catalog in resources/', () => {
  it('is the generator output for its seed, so it is valid and reproducible', async () => {
    const { readFile } = await import('node:fs/promises');
    const file = new URL('../../resources/sample-catalog.json', import.meta.url);
    const stored = JSON.parse(await readFile(file, 'utf8'));
    expect(stored).toEqual(generateCatalog(SAMPLE_CATALOG_COUNTS, SAMPLE_CATALOG_SEED));
    expect(stored.video.length).toBe(200);
    expect(stored.video.some((video: { people: string[] }) => video.people.length > 0)).toBe(true);
  });
});
