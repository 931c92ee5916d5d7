/**
 * Lists by duration read an order column the storage keeps (shared/entities/duration-order.ts), written only
 * when an entry's duration or trash state changes: an edit of anything else writes no page of its index
 * (issue 16, local save). A profile of an earlier release, which ordered durations by an SQL expression
 * index over the stored JSON instead, gets the column at its next open, and its lists answer as before.
 */
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { profileDatabaseFiles } from '../../main/recovery/profile-files';
import { FORMAT_VERSION } from '../../main/storage/sqlite-file';
import { ownersOfOneSave } from '../bench/bare-commit';
import { rewriteAsExpressionIndexRelease } from './earlier-release';
import { openTestCore, type TestCore } from './helpers';

let core: TestCore | undefined;
afterEach(async () => {
  await core?.dispose();
  core = undefined;
});

const ORDER_KEY = 'order:duration-seconds';

/** The video table and where its duration is ordered: the order column's index, or an earlier release's. */
function durationIndexes(db: Database.Database): { table: string; names: string[] } {
  const row = db.prepare("SELECT table_name, indexes FROM curio_collections WHERE collection = 'video'").get() as {
    table_name: string;
    indexes: string;
  };
  const position = (JSON.parse(row.indexes) as string[]).indexOf(ORDER_KEY);
  const names = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND (name = ? OR name = ?)")
    .pluck()
    .all(`${row.table_name}_ix${position}`, `${row.table_name}__duration_seconds`) as string[];
  return { table: row.table_name, names };
}

describe('durations ordered by a column of their own', () => {
  it('an edit that leaves the duration and the trash state alone writes no page of the duration order', async () => {
    core = await openTestCore();
    let video = (await core.call.entities.create({
      type: 'video',
      fields: { title: 'Harbour walk', duration: '13:10' },
    })) as { id: string; rev: string };
    await core.call.entities.create({ type: 'video', fields: { title: 'Dogs below the falls', duration: '3:05' } });
    const catalog = (await profileDatabaseFiles(core.dataDir)).catalog;
    const db = new Database(catalog, { readonly: true });
    try {
      const { names } = durationIndexes(db);
      expect(names).toHaveLength(1);
      /** What one edit's commit wrote, by table or index. */
      const written = (fields: (attempt: number) => Record<string, unknown>) =>
        ownersOfOneSave(catalog, db, async (attempt) => {
          video = (await core!.call.entities.update({
            type: 'video',
            id: video.id,
            rev: video.rev,
            fields: fields(attempt),
          } as never)) as { id: string; rev: string };
        });

      const titleEdit = await written((attempt) => ({ title: `Harbour run ${attempt}` }));
      expect(titleEdit.has(`c_video_v0`)).toBe(true);
      expect(names.filter((name) => titleEdit.has(name))).toEqual([]);

      const durationEdit = await written((attempt) => ({ duration: `14:0${attempt}` }));
      expect(names.filter((name) => durationEdit.has(name))).toEqual(names);
    } finally {
      db.close();
    }
    const sorted = await core.call.entities.list({ type: 'video', sort: { field: 'duration', direction: 'desc' } });
    expect(sorted.items.map((item) => (item as { duration: string }).duration)).toEqual(['14:00', '3:05']);
  });

  it('a profile of an earlier release gets the column at its next open and loses the expression index; lists answer as before', async () => {
    core = await openTestCore();
    const create = async (title: string, duration?: string) =>
      (await core!.call.entities.create({
        type: 'video',
        fields: duration === undefined ? { title } : { title, duration },
      } as never)) as { id: string };
    await create('Harbour walk', '13:10');
    await create('Dogs below the falls', '3:05');
    await create('Night at the falls', '1:00:00');
    await create('Untimed');
    await create('Short', '00:59');
    await create('Same length', '3:05');
    const trashed = await create('Old cut', '45:00');
    await create('Old short cut', '2:00').then(({ id }) =>
      core!.call.trash.trash({
        items: [
          { type: 'video', id },
          { type: 'video', id: trashed.id },
        ],
      }),
    );

    const titles = (page: { items: unknown[] }) => page.items.map((item) => (item as { title: string }).title);
    const list = (input: Record<string, unknown>) => core!.call.entities.list({ type: 'video', ...input } as never);
    const answers = async () => {
      const byLength = { field: 'duration', direction: 'asc' } as const;
      const firstTwo = await list({ sort: byLength, limit: 2 });
      return {
        ascending: titles(await list({ sort: byLength })),
        descending: titles(await list({ sort: { field: 'duration', direction: 'desc' } })),
        pagedAscending: [
          ...titles(firstTwo),
          ...titles(await list({ sort: byLength, limit: 2, cursor: firstTwo.nextCursor })),
        ],
        trash: titles(await list({ view: 'trash', sort: byLength })),
        both: titles(await list({ view: 'all', sort: { field: 'duration', direction: 'desc' } })),
        rangeByTitle: titles(
          await list({
            sort: { field: 'title', direction: 'asc' },
            filters: { duration: { from: '3:05', to: '13:10' } },
          }),
        ),
        upToByLength: titles(await list({ sort: byLength, filters: { duration: { to: '3:05' } } })),
        trashFrom: titles(await list({ view: 'trash', sort: byLength, filters: { duration: { from: '10:00' } } })),
      };
    };
    const before = await answers();
    expect(before.ascending).toEqual([
      'Untimed',
      'Short',
      // The same length: by id, the order they were made in.
      'Dogs below the falls',
      'Same length',
      'Harbour walk',
      'Night at the falls',
    ]);
    expect(before.pagedAscending).toEqual(before.ascending.slice(0, 4));
    expect(before.trash).toEqual(['Old short cut', 'Old cut']);
    expect(before.both.slice(0, 2)).toEqual(['Night at the falls', 'Old cut']);
    expect(before.rangeByTitle).toEqual(['Dogs below the falls', 'Harbour walk', 'Same length']);
    expect(before.upToByLength).toEqual(['Short', 'Dogs below the falls', 'Same length']);
    expect(before.trashFrom).toEqual(['Old cut']);

    await core.close();
    const dataDir = core.dataDir;
    const catalog = (await profileDatabaseFiles(dataDir)).catalog;
    // As the release before made it: the duration ordered by an expression index (live or trashed, length in
    // seconds, id), file format 3.
    const text = `json_extract(data, '$.duration')`;
    const head = `substr(${text}, 1, length(${text}) - 3)`;
    const seconds =
      `(CAST(substr(${text}, -2) AS INTEGER) + 60 * CAST(substr(${head}, instr(${head}, ':') + 1) AS INTEGER)` +
      ` + 3600 * CAST(substr(${head}, 1, instr(${head}, ':') - 1) AS INTEGER))`;
    rewriteAsExpressionIndexRelease(catalog, {
      collection: 'video',
      key: ORDER_KEY,
      indexName: 'duration_seconds',
      indexOn: `(json_extract(data, '$.deletedAt') IS NULL), ${seconds}, id`,
      version: 3,
    });
    const earlier = new Database(catalog, { readonly: true });
    expect(durationIndexes(earlier).names).toEqual([`${durationIndexes(earlier).table}__duration_seconds`]);
    earlier.close();

    core = await openTestCore({ dataDir });
    const db = new Database(catalog, { readonly: true });
    try {
      const { table, names } = durationIndexes(db);
      expect(names).toEqual([expect.stringMatching(/_ix\d+$/)]);
      const column = names[0]!.slice(table.length + 1);
      expect(db.prepare(`SELECT count(*) FROM "${table}" WHERE ${column} IS NULL`).pluck().get()).toBe(0);
      expect(db.prepare("SELECT count(*) FROM curio_deferred_indexes WHERE name LIKE '%duration%'").pluck().get()).toBe(
        0,
      );
      expect(db.pragma('user_version', { simple: true })).toBe(FORMAT_VERSION);
    } finally {
      db.close();
    }
    expect(await answers()).toEqual(before);
  });
});
