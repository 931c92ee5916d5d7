import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FilterValue, ListInput } from '../../main/services/list';
import type { EntityDocument } from '../../shared/entities';
import { appErrorOf, openTestCore, type TestCore } from './helpers';

/** Durations as people type them: as text they sort 1:02:03, 13:10, 3:05, 45:00. */
const VIDEOS = [
  { title: 'Spring swim', duration: '13:10', publishedAt: '2025-04-02' },
  { title: 'Winter walk', duration: '1:02:03', publishedAt: '2024-12-31' },
  { title: 'New year', duration: '3:05', publishedAt: '2026-01-01' },
  { title: 'Autumn hike', duration: '45:00', publishedAt: '2025-10-20' },
  { title: 'Long drive', duration: '10:00:00' },
  { title: 'Untimed' },
];

let core: TestCore;
beforeAll(async () => {
  core = await openTestCore();
  for (const fields of VIDEOS) await core.call.entities.create({ type: 'video', fields });
  const trashed = (await core.call.entities.create({
    type: 'video',
    fields: { title: 'Trashed clip', duration: '30:00' },
  })) as EntityDocument<'video'>;
  await core.call.trash.trash({ items: [{ type: 'video', id: trashed.id }] });
});
afterAll(async () => {
  await core.dispose();
});

const byDuration = (direction: 'asc' | 'desc') => ({ field: 'duration', direction });
const titles = async (input: Omit<ListInput, 'type'>) =>
  (await core.call.entities.list({ type: 'video', ...input })).items.map(
    (item) => (item as EntityDocument<'video'>).title,
  );
const longer = (from: string): Record<string, FilterValue> => ({ duration: { from } });

describe('durations sort and filter by length', () => {
  it('sorts by length both ways, entries without a duration first ascending and last descending', async () => {
    expect(await titles({ sort: byDuration('asc') })).toEqual([
      'Untimed',
      'New year',
      'Spring swim',
      'Autumn hike',
      'Winter walk',
      'Long drive',
    ]);
    expect(await titles({ sort: byDuration('desc') })).toEqual([
      'Long drive',
      'Winter walk',
      'Autumn hike',
      'Spring swim',
      'New year',
      'Untimed',
    ]);
  });

  it('pages with the cursor, by length or by another field under a duration range, both ways', async () => {
    for (const direction of ['asc', 'desc'] as const) {
      for (const input of [
        { sort: byDuration(direction) },
        { sort: { field: 'title', direction }, filters: longer('10:00') },
        { sort: { field: 'publishedAt', direction }, filters: longer('3:00') },
      ]) {
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const page = await core.call.entities.list({ type: 'video', ...input, limit: 2, cursor });
          seen.push(...page.items.map((item) => (item as EntityDocument<'video'>).title));
          cursor = page.nextCursor;
        } while (cursor);
        expect(seen).toEqual(await titles(input));
        expect(seen.length).toBeGreaterThan(3);
      }
    }
  });

  it('filters "longer than 30 minutes" and "up to 15 minutes", both ends included', async () => {
    expect(await titles({ filters: longer('30:00'), sort: byDuration('asc') })).toEqual([
      'Autumn hike',
      'Winter walk',
      'Long drive',
    ]);
    expect(await titles({ filters: { duration: { to: '13:10' } }, sort: byDuration('asc') })).toEqual([
      'New year',
      'Spring swim',
    ]);
    expect(await titles({ filters: { duration: { from: '3:05', to: '1:00:00' } } })).toEqual([
      'Autumn hike',
      'New year',
      'Spring swim',
    ]);
  });

  it('combines a duration range with other filters, another sort and the trash view', async () => {
    const filters = { ...longer('30:00'), publishedAt: { from: '2025' } };
    expect(await titles({ filters, sort: { field: 'title', direction: 'asc' } })).toEqual(['Autumn hike']);
    expect(await titles({ filters: longer('30:00'), sort: { field: 'publishedAt', direction: 'desc' } })).toEqual([
      'Autumn hike',
      'Winter walk',
      'Long drive',
    ]);
    expect(await titles({ view: 'trash', filters: longer('30:00') })).toEqual(['Trashed clip']);
    expect(await titles({ view: 'all', filters: longer('30:00'), sort: byDuration('asc') })).toEqual([
      'Trashed clip',
      'Autumn hike',
      'Winter walk',
      'Long drive',
    ]);
  });

  it('refuses a duration end that is not a duration, saying how to write one', async () => {
    const error = await appErrorOf(titles({ filters: longer('30 min') }));
    expect(error).toMatchObject({ appCode: 'VALIDATION', message: expect.stringContaining('30:00 or 1:02:03') });
  });
});

describe('numbers and dates sort by meaning', () => {
  it('sorts numbers as numbers, not as text', async () => {
    for (const [name, birthYear] of [
      ['Young', 2021],
      ['Old', 1950],
      ['Mid', 2009],
    ] as const)
      await core.call.entities.create({ type: 'dog', fields: { name, birthYear } });
    const dogs = await core.call.entities.list({ type: 'dog', sort: { field: 'birthYear', direction: 'asc' } });
    expect(dogs.items.map((item) => (item as EntityDocument<'dog'>).name)).toEqual(['Old', 'Mid', 'Young']);
  });

  it('sorts dates as dates, undated entries first ascending', async () => {
    expect(await titles({ sort: { field: 'publishedAt', direction: 'asc' } })).toEqual([
      'Long drive',
      'Untimed',
      'Winter walk',
      'Spring swim',
      'Autumn hike',
      'New year',
    ]);
  });
});
