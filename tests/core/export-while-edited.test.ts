import { readFile } from 'node:fs/promises';
import Papa from 'papaparse';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { EntityDocument } from '../../shared/entities';
import { openTestCore, type TestCore } from './helpers';

/**
 * An export of a sorted list takes several pages (500 rows each). An entry renamed while the file is
 * written (here between two pages, as a teammate's rename pulled by the sync lands) moves across the
 * page boundary; before, the file left it out ("Zebra" renamed "Aardvark": 1,100 of 1,101 rows) or wrote
 * it twice. The file now holds every entry the list held when the export began, once each.
 */
let core: TestCore;
beforeEach(async () => {
  core = await openTestCore();
});
afterEach(async () => {
  await core.dispose();
});

async function videoTitled(title: string): Promise<EntityDocument<'video'>> {
  const page = await core.call.entities.list({ type: 'video', filters: { title: { contains: title } } });
  return page.items[0] as EntityDocument<'video'>;
}

it('a sorted export holds every listed entry once, however entries are renamed while it is written', async () => {
  const titles = Array.from({ length: 1100 }, (_, i) => `M${String(i).padStart(5, '0')}`);
  const content = ['title', ...titles, 'Zebra'].join('\n');
  await core.call.backup.importEntities({ type: 'video', format: 'csv', content });
  const zebra = await videoTitled('Zebra');
  const first = await videoTitled('M00000');

  const events = (
    await core.call.backup.exportEntities({ type: 'video', format: 'csv', sort: { field: 'title', direction: 'asc' } })
  )[Symbol.asyncIterator]();
  expect((await events.next()).value).toEqual({ type: 'progress', done: 0, total: 1101 });
  expect((await events.next()).value).toEqual({ type: 'progress', done: 500, total: 1101 });
  // Written already, renamed to sort last; not written yet, renamed to sort first.
  await core.call.entities.update({ type: 'video', id: first.id, rev: first.rev, fields: { title: 'Zz Top' } });
  await core.call.entities.update({ type: 'video', id: zebra.id, rev: zebra.rev, fields: { title: 'Aardvark' } });
  let done: { type: string; filePath?: string; rows?: number } | undefined;
  for (let next = await events.next(); !next.done; next = await events.next()) done = next.value;
  expect(done).toMatchObject({ type: 'done', rows: 1101 });

  const rows = Papa.parse<{ id: string; title: string }>(await readFile(done!.filePath!, 'utf8'), {
    header: true,
    skipEmptyLines: true,
  }).data;
  expect(rows).toHaveLength(1101);
  expect(new Set(rows.map((row) => row.id)).size).toBe(1101);
  // Each in the list's order as it began, each as it was when its page was written.
  expect(rows[0]).toMatchObject({ id: first.id, title: 'M00000' });
  expect(rows.at(-1)).toMatchObject({ id: zebra.id, title: 'Aardvark' });
});
