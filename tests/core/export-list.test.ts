import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EntityDocument } from '../../shared/entities';
import { openTestCore, type TestCore } from './helpers';

let core: TestCore;
let ids: Record<string, string>;
beforeEach(async () => {
  core = await openTestCore();
  const create = async (type: string, fields: Record<string, unknown>) =>
    ((await core.call.entities.create({ type, fields } as never)) as EntityDocument).id;
  const ann = await create('person', { name: 'Ann Lee' });
  const bob = await create('person', { name: 'Bob Stone' });
  const iceland = await create('trip', { name: 'Iceland' });
  ids = {
    ann,
    bob,
    iceland,
    swim: await create('video', { title: 'Swim', people: [ann, bob], tripId: iceland, publishedAt: '2025-03-01' }),
    hike: await create('video', { title: 'Hike', people: [bob], publishedAt: '2024-06-01' }),
    walk: await create('video', { title: 'Walk', publishedAt: '2025-09-01' }),
  };
});
afterEach(async () => {
  await core.dispose();
});

async function exported(input: Parameters<typeof core.call.backup.exportEntities>[0]) {
  const events = [];
  for await (const event of await core.call.backup.exportEntities(input)) events.push(event);
  return { events, done: events.at(-1) as { type: 'done'; filePath: string; rows: number } };
}

describe('export of a list or a selection', () => {
  it('exports the filtered, sorted list with names next to ids', async () => {
    const { events, done } = await exported({
      type: 'video',
      format: 'csv',
      filters: { publishedAt: { from: '2025' } },
      sort: { field: 'title', direction: 'desc' },
    });
    expect(events[0]).toEqual({ type: 'progress', done: 0, total: 2 });
    expect(done.rows).toBe(2);
    const csv = Papa.parse<Record<string, string>>(await readFile(done.filePath, 'utf8'), {
      header: true,
      skipEmptyLines: true,
    });
    expect(csv.data.map((row) => row.title)).toEqual(['Walk', 'Swim']);
    expect(csv.data[1]).toMatchObject({
      id: ids.swim,
      people: 'Ann Lee; Bob Stone',
      personIds: `${ids.ann}; ${ids.bob}`,
      trip: 'Iceland',
      tripId: ids.iceland,
    });
  });

  it('exports the selection in its order as JSON, which imports back by name', async () => {
    const { done } = await exported({ type: 'video', format: 'json', ids: [ids.hike!, ids.swim!] });
    const file = JSON.parse(await readFile(done.filePath, 'utf8')) as { items: Record<string, unknown>[] };
    expect(file.items.map((item) => item.title)).toEqual(['Hike', 'Swim']);
    expect(file.items[1]).toMatchObject({ people: ['Ann Lee', 'Bob Stone'], personIds: [ids.ann, ids.bob] });
    // Here, each row is the video it came from (tests/core/import-entries-here.test.ts); without ids, rows
    // are new videos whose links resolve by name and id.
    const asNew = { ...file, items: file.items.map(({ id: _id, ...item }) => item) };
    const check = await core.call.backup.validateImport({
      type: 'video',
      format: 'json',
      content: JSON.stringify(asNew),
    });
    expect(check).toMatchObject({ rows: 2, goodRows: 2, errors: [] });
    expect(check.preview[1]).toMatchObject({ people: [ids.ann, ids.bob], tripId: ids.iceland });
  });

  it('writes Excel that reads back with ExcelJS: a header row, then names and ids', async () => {
    const { done } = await exported({ type: 'video', format: 'xlsx' });
    expect(done.filePath.endsWith('.xlsx')).toBe(true);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(done.filePath);
    const sheet = workbook.getWorksheet('Videos')!;
    const rows = sheet.getSheetValues().filter(Boolean) as unknown[][];
    const header = rows[0]!.slice(1);
    expect(header.slice(0, 2)).toEqual(['id', 'title']);
    const records = rows.slice(1).map((row) => Object.fromEntries(header.map((h, i) => [h, row[i + 1]])));
    expect(records).toHaveLength(3);
    expect(records.find((r) => r.title === 'Swim')).toMatchObject({ people: 'Ann Lee; Bob Stone', trip: 'Iceland' });
  });
});
