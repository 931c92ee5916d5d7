import { readFile } from 'node:fs/promises';
import Papa from 'papaparse';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openTestCore, type TestCore } from './helpers';

/**
 * A whole-type export counts its entries when it begins. Entries added while the file is written (as a
 * sync pulls a teammate's new entries between two pages) used to be written too, so the progress read
 * "1,150 of 1,100". The export is a snapshot of what was asked for: the entries live when it began, each
 * as it is when its page is written; the progress never passes its total.
 */
let core: TestCore;
beforeEach(async () => {
  core = await openTestCore();
});
afterEach(async () => {
  await core.dispose();
});

it('a whole-type export writes the entries it counted at the start, not those added while it runs', async () => {
  const titles = Array.from({ length: 1100 }, (_, i) => `M${String(i).padStart(5, '0')}`);
  await core.call.backup.importEntities({ type: 'video', format: 'csv', content: ['title', ...titles].join('\n') });
  const before = new Set<string>();
  for (let cursor: string | null = null; ;) {
    const page = await core.call.entities.list({ type: 'video', limit: 500, cursor });
    for (const item of page.items) before.add(item.id);
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  expect(before.size).toBe(1100);

  const events = (await core.call.backup.exportEntities({ type: 'video', format: 'csv' }))[Symbol.asyncIterator]();
  const progress: { done: number; total: number }[] = [];
  let next = await events.next();
  while (!next.done && next.value.type === 'progress' && next.value.done === 0) {
    progress.push(next.value);
    next = await events.next();
  }
  // Some rows are written: new entries arrive (their ids sort after every existing one).
  for (let i = 0; i < 50; i++) {
    await core.call.entities.create({ type: 'video', fields: { title: `Added ${i}` } });
  }
  let done: { type: string; filePath?: string; rows?: number } | undefined;
  for (; !next.done; next = await events.next()) {
    if (next.value.type === 'progress') progress.push(next.value);
    else done = next.value;
  }

  // Never "1,150 of 1,100": every step counts to the total the export began with.
  expect(progress.filter((event) => event.total !== 1100 || event.done > event.total)).toEqual([]);
  expect(progress.at(-1)).toEqual({ type: 'progress', done: 1100, total: 1100 });
  expect(done).toMatchObject({ type: 'done', rows: 1100 });
  const rows = Papa.parse<{ id: string; title: string }>(await readFile(done!.filePath!, 'utf8'), {
    header: true,
    skipEmptyLines: true,
  }).data;
  expect(new Set(rows.map((row) => row.id))).toEqual(before);
});
