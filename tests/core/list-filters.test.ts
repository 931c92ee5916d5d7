import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FilterValue } from '../../main/services/list-filters';
import type { EntityDocument } from '../../shared/entities';
import { appErrorOf, openTestCore, type TestCore } from './helpers';

let core: TestCore;
const VIDEOS = [
  { title: 'Spring swim', publishedAt: '2025-04-02', duration: '13:10' },
  { title: 'Winter walk', publishedAt: '2024-12-31', duration: '1:02:03' },
  { title: 'New year', publishedAt: '2026-01-01', duration: '3:05' },
  { title: 'Autumn hike', publishedAt: '2025-10-20', duration: '45:00' },
];
const DOGS = [
  { name: 'Ada', birthYear: 2019, aliases: ['Little Ada'] },
  { name: 'Bea', birthYear: 2009 },
  { name: 'Cy', birthYear: 2021, aliases: ['Cyclone'] },
];

beforeAll(async () => {
  core = await openTestCore();
  for (const fields of VIDEOS) await core.call.entities.create({ type: 'video', fields });
  for (const fields of DOGS) await core.call.entities.create({ type: 'dog', fields });
  for (const [name, location] of [
    ['Fjords', 'Bergen, Norway'],
    ['Andes', 'Lima'],
    ['Coast', 'Porto, Portugal'],
  ] as const)
    await core.call.entities.create({ type: 'trip', fields: { name, location } });
});
afterAll(async () => {
  await core.dispose();
});

const videos = async (filters: Record<string, FilterValue>, sort = { field: 'title', direction: 'asc' as const }) =>
  (await core.call.entities.list({ type: 'video', filters, sort })).items.map(
    (item) => (item as EntityDocument<'video'>).title,
  );
const dogs = async (filters: Record<string, FilterValue>) =>
  (await core.call.entities.list({ type: 'dog', filters, sort: { field: 'birthYear', direction: 'asc' } })).items.map(
    (item) => (item as EntityDocument<'dog'>).name,
  );

describe('sorting by the meaning of the field', () => {
  it('sorts numbers as numbers and dates as dates', async () => {
    expect(await dogs({})).toEqual(['Bea', 'Ada', 'Cy']);
    const byDate = await core.call.entities.list({ type: 'video', sort: { field: 'publishedAt', direction: 'desc' } });
    expect(byDate.items.map((item) => (item as EntityDocument<'video'>).publishedAt)).toEqual([
      '2026-01-01',
      '2025-10-20',
      '2025-04-02',
      '2024-12-31',
    ]);
  });
});

describe('range and "contains" filters', () => {
  it('filters dates by year, month or day, both ends included', async () => {
    expect(await videos({ publishedAt: { from: '2025', to: '2025' } })).toEqual(['Autumn hike', 'Spring swim']);
    expect(await videos({ publishedAt: { from: '2025-04', to: '2025-04' } })).toEqual(['Spring swim']);
    expect(await videos({ publishedAt: { from: '2025-10-20' } })).toEqual(['Autumn hike', 'New year']);
    expect(await videos({ publishedAt: { to: '2024-12-31' } })).toEqual(['Winter walk']);
  });

  it('filters numbers by range and combines filters', async () => {
    expect(await dogs({ birthYear: { from: 2010 } })).toEqual(['Ada', 'Cy']);
    expect(await dogs({ birthYear: { from: 2009, to: 2019 } })).toEqual(['Bea', 'Ada']);
    expect(await dogs({ birthYear: { from: 2010 }, aliases: { contains: 'LITTLE' } })).toEqual(['Ada']);
  });

  it('finds text that contains the words, case ignored, with special characters taken literally', async () => {
    const trips = async (contains: string) =>
      (await core.call.entities.list({ type: 'trip', filters: { location: { contains } } })).items.map(
        (t) => (t as EntityDocument<'trip'>).name,
      );
    expect(await trips('port')).toEqual(['Coast']);
    expect(await trips(', nor')).toEqual(['Fjords']);
    expect(await trips('.*')).toEqual([]);
    expect(await dogs({ aliases: { contains: 'clon' } })).toEqual(['Cy']);
  });

  it('pages through a range-filtered list sorted by the filtered field', async () => {
    const first = await core.call.entities.list({
      type: 'video',
      filters: { publishedAt: { from: '2025' } },
      sort: { field: 'publishedAt', direction: 'asc' },
      limit: 2,
    });
    const second = await core.call.entities.list({
      type: 'video',
      filters: { publishedAt: { from: '2025' } },
      sort: { field: 'publishedAt', direction: 'asc' },
      limit: 2,
      cursor: first.nextCursor,
    });
    expect([...first.items, ...second.items].map((item) => (item as EntityDocument<'video'>).title)).toEqual([
      'Spring swim',
      'Autumn hike',
      'New year',
    ]);
    expect(second.nextCursor).toBeNull();
  });

  it('refuses ranges and "contains" where they do not apply, saying why', async () => {
    const onText = await appErrorOf(videos({ title: { from: 'a' } }));
    expect(onText).toMatchObject({ appCode: 'VALIDATION', message: expect.stringContaining('dates and numbers') });
    const badDate = await appErrorOf(videos({ publishedAt: { from: 'last year' } }));
    expect(badDate.message).toContain('YYYY-MM-DD');
    const onNumber = await appErrorOf(dogs({ birthYear: { contains: '20' } }));
    expect(onNumber.message).toContain('text fields only');
    const onDuration = await appErrorOf(videos({ duration: { from: '30 min' } }));
    expect(onDuration.message).toContain('H:MM:SS or MM:SS');
  });
});
