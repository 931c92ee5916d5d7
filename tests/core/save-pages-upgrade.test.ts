/**
 * A local save writes fewer pages (issue 16): the search index maps ids to FTS rows in one b-tree
 * keyed by id and keeps no token counts per row (FTS5 columnsize=0), and the storage keeps no index
 * column for the video duration index no query reads.
 * A profile written before both changes is brought to the new layout at its next open, with search
 * and duration lists answering exactly as before.
 */
import Database from 'better-sqlite3';
import { fillWithDefaultSettings } from 'rxdb';
import { afterEach, describe, expect, it } from 'vitest';
import { profileDatabaseFiles } from '../../main/recovery/profile-files';
import { indexStringMonad } from '../../main/storage';
import { entityRxSchema } from '../../shared/rx-schema';
import { openTestCore, type TestCore } from './helpers';

let core: TestCore | undefined;
afterEach(async () => {
  await core?.dispose();
  core = undefined;
});

const ROWS = 'curio_search_rows';
const DURATION_INDEX = '_deleted,deletedAt,duration,id';

/** What the catalog file holds of both layouts, read over a connection of its own. */
async function layout(dataDir: string) {
  const db = new Database((await profileDatabaseFiles(dataDir)).catalog, { readonly: true });
  try {
    const rowsSql = db.prepare(`SELECT sql FROM sqlite_master WHERE name = '${ROWS}'`).pluck().get() as string;
    const { table_name: table, indexes } = db
      .prepare("SELECT table_name, indexes FROM curio_collections WHERE collection = 'video'")
      .get() as { table_name: string; indexes: string };
    const position = (JSON.parse(indexes) as string[]).indexOf(DURATION_INDEX);
    const durationSqlIndex = db
      .prepare("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = ?")
      .pluck()
      .get(`${table}_ix${position}`) as number;
    const docsize = db.prepare(`SELECT count(*) FROM sqlite_master WHERE name = 'curio_search_docsize'`).pluck();
    return {
      tokenCountsPerRow: docsize.get() === 1,
      rowsKeyedById: /WITHOUT ROWID/i.test(rowsSql),
      mappedRows: db.prepare(`SELECT count(*) FROM ${ROWS}`).pluck().get() as number,
      durationColumnKept: position >= 0 && durationSqlIndex === 1,
    };
  } finally {
    db.close();
  }
}

/**
 * Turns the catalog back into the layout of the release before: the id-to-FTS-row table with its own
 * rowid and a unique index on id, that release's search fingerprint, and the duration index column
 * kept (its SQL index built from the stored index strings again).
 */
async function rewriteAsPreviousRelease(dataDir: string): Promise<void> {
  const db = new Database((await profileDatabaseFiles(dataDir)).catalog);
  try {
    // The triggers name the table being replaced; SQLite's legacy rename does not check them.
    db.pragma('legacy_alter_table = ON');
    db.transaction(() => {
      // First the video table: writing its rows runs the triggers, which read the new ROWS layout.
      const { table_name: table, indexes } = db
        .prepare("SELECT table_name, indexes FROM curio_collections WHERE collection = 'video'")
        .get() as { table_name: string; indexes: string };
      const keys = JSON.parse(indexes) as string[];
      const position = keys.push(DURATION_INDEX) - 1;
      db.prepare("UPDATE curio_collections SET indexes = ? WHERE collection = 'video'").run(JSON.stringify(keys));
      db.exec(`ALTER TABLE "${table}" ADD COLUMN ix${position} TEXT`);
      const indexString = indexStringMonad(fillWithDefaultSettings(entityRxSchema('video')), DURATION_INDEX.split(','));
      const fill = db.prepare(`UPDATE "${table}" SET ix${position} = ? WHERE id = ?`);
      for (const row of db.prepare(`SELECT id, data FROM "${table}"`).all() as { id: string; data: string }[])
        fill.run(indexString(JSON.parse(row.data) as never), row.id);
      db.exec(`CREATE INDEX "${table}_ix${position}" ON "${table}" (ix${position})`);
      // The FTS table as that release made it (with its token counts per row), left empty: the rebuild
      // at open must fill it again from the entries.
      const ftsSql = db.prepare(`SELECT sql FROM sqlite_master WHERE name = 'curio_search'`).pluck().get() as string;
      db.exec('DROP TABLE curio_search_vocab');
      db.exec('DROP TABLE curio_search');
      db.exec(ftsSql.replace(/,\s*columnsize\s*=\s*0/, ''));
      db.exec(`CREATE VIRTUAL TABLE curio_search_vocab USING fts5vocab(curio_search, 'row')`);
      db.exec(`CREATE TABLE old_rows (rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE)`);
      db.exec(`INSERT INTO old_rows (rowid, id) SELECT fts, id FROM ${ROWS}`);
      db.exec(`DROP TABLE ${ROWS}`);
      db.exec(`ALTER TABLE old_rows RENAME TO ${ROWS}`);
      const fingerprint = JSON.parse(
        db.prepare(`SELECT value FROM curio_search_state WHERE key = 'fingerprint'`).pluck().get() as string,
      ) as Record<string, unknown>;
      delete fingerprint.rows;
      db.prepare(`UPDATE curio_search_state SET value = ? WHERE key = 'fingerprint'`).run(JSON.stringify(fingerprint));
    })();
  } finally {
    db.close();
  }
}

describe('pages per save: the layout of an earlier profile is brought up to date at open', () => {
  it('rebuilds the search rows and drops the unread duration index; search and lists answer as before', async () => {
    core = await openTestCore();
    const create = (fields: Record<string, unknown>) =>
      core!.call.entities.create({ type: 'video', fields } as never) as Promise<{ id: string; rev: string }>;
    const harbour = await create({ title: 'Harbour walk', duration: '13:10', description: 'Skogafoss trail' });
    await create({ title: 'Dogs below Skógafoss', duration: '3:05' });
    const trashed = await create({ title: 'Skogafoss at night', duration: '1:00:00' });
    await core.call.trash.trash({ items: [{ type: 'video', id: trashed.id }] } as never);
    await core.call.entities.update({
      type: 'video',
      id: harbour.id,
      rev: harbour.rev,
      fields: { title: 'Harbour run' },
    });
    await core.call.entities.create({ type: 'dog', fields: { name: 'Biscuit', aliases: ['Skogafoss dog'] } } as never);

    const answers = async () => ({
      live: await core!.call.entities.search({ query: 'skogafoss' }),
      all: await core!.call.entities.search({ query: 'skogafoss', includeTrash: true }),
      prefix: await core!.call.entities.search({ query: 'harb' }),
      byDuration: (
        await core!.call.entities.list({ type: 'video', sort: { field: 'duration', direction: 'desc' } })
      ).items.map((video) => (video as { title: string }).title),
    });
    const before = await answers();
    expect(before.live.map((hit) => hit.title).sort()).toEqual(['Biscuit', 'Dogs below Skógafoss', 'Harbour run']);
    expect(before.all).toHaveLength(4);
    expect(await layout(core.dataDir)).toEqual({
      tokenCountsPerRow: false,
      rowsKeyedById: true,
      mappedRows: 4,
      durationColumnKept: false,
    });

    await core.close();
    const dataDir = core.dataDir;
    await rewriteAsPreviousRelease(dataDir);
    expect(await layout(dataDir)).toEqual({
      tokenCountsPerRow: true,
      rowsKeyedById: false,
      mappedRows: 4,
      durationColumnKept: true,
    });

    core = await openTestCore({ dataDir });
    expect(await layout(dataDir)).toEqual({
      tokenCountsPerRow: false,
      rowsKeyedById: true,
      mappedRows: 4,
      durationColumnKept: false,
    });
    expect(await answers()).toEqual(before);

    // Saves after the upgrade keep the index exact: an edit, a restore from the trash.
    const current = (await core.call.entities.get({ type: 'video', id: harbour.id })) as { rev: string };
    await core.call.entities.update({
      type: 'video',
      id: harbour.id,
      rev: current.rev,
      fields: { title: 'Quay stroll' },
    });
    await core.call.trash.restore({ items: [{ type: 'video', id: trashed.id }] } as never);
    expect((await core.call.entities.search({ query: 'harb' })).map((hit) => hit.title)).toEqual([]);
    expect((await core.call.entities.search({ query: 'quay' })).map((hit) => hit.title)).toEqual(['Quay stroll']);
    expect((await core.call.entities.search({ query: 'skogafoss' })).map((hit) => hit.title).sort()).toEqual([
      'Biscuit',
      'Dogs below Skógafoss',
      'Quay stroll',
      'Skogafoss at night',
    ]);
    expect(await layout(dataDir)).toMatchObject({ mappedRows: 4 });
  });

  it('an edit of what the search index does not hold writes nothing to it, and search stays exact', async () => {
    core = await openTestCore();
    let video = (await core.call.entities.create({
      type: 'video',
      fields: { title: 'Harbour walk', duration: '13:10' },
    } as never)) as { id: string; rev: string };
    /** FTS5's structure record, which every write to the index changes. */
    const indexStructure = async () => {
      const db = new Database((await profileDatabaseFiles(core!.dataDir)).catalog, { readonly: true });
      try {
        return db.prepare('SELECT block FROM curio_search_data WHERE id = 10').pluck().get() as Buffer;
      } finally {
        db.close();
      }
    };
    const before = await indexStructure();
    video = (await core.call.entities.update({
      type: 'video',
      id: video.id,
      rev: video.rev,
      fields: { duration: '14:00' },
    } as never)) as { id: string; rev: string };
    expect((await indexStructure()).equals(before)).toBe(true);
    expect((await core.call.entities.search({ query: 'harbour' })).map((hit) => hit.id)).toEqual([video.id]);

    await core.call.entities.update({
      type: 'video',
      id: video.id,
      rev: video.rev,
      fields: { title: 'Quay' },
    } as never);
    expect((await indexStructure()).equals(before)).toBe(false);
    expect(await core.call.entities.search({ query: 'harbour' })).toEqual([]);
    expect((await core.call.entities.search({ query: 'quay' })).map((hit) => hit.id)).toEqual([video.id]);
  });
  it('an edit that changes no link leaves the link rows alone, and back-links stay exact', async () => {
    core = await openTestCore();
    const ada = (await core.call.entities.create({ type: 'person', fields: { name: 'Ada' } } as never)) as {
      id: string;
    };
    let video = (await core.call.entities.create({
      type: 'video',
      fields: { title: 'Harbour walk', people: [ada.id] },
    } as never)) as { id: string; rev: string };
    // A later link row, so the video's row does not hold the highest rowid (a row added again would get it back).
    const other = (await core.call.entities.create({
      type: 'video',
      fields: { title: 'Zebra crossing', people: [ada.id] },
    } as never)) as { id: string };
    const people = async () =>
      (await core!.call.links.backLinks({ type: 'person', id: ada.id })).groups
        .find((group) => group.type === 'video')!
        .items.map((item) => item.id);
    /** The video's link rows with their rowids: rows deleted and added again get new rowids. */
    const linkRows = async () => {
      const db = new Database((await profileDatabaseFiles(core!.dataDir)).catalog, { readonly: true });
      try {
        return db.prepare('SELECT rowid, target_id, field FROM curio_links WHERE source_id = ?').all(video.id);
      } finally {
        db.close();
      }
    };
    expect(await people()).toEqual([video.id, other.id]);
    const before = await linkRows();
    expect(before).toHaveLength(1);

    const edit = async (fields: Record<string, unknown>) => {
      video = (await core!.call.entities.update({ type: 'video', id: video.id, rev: video.rev, fields } as never)) as {
        id: string;
        rev: string;
      };
    };
    await edit({ title: 'Quay' });
    expect(await linkRows()).toEqual(before);
    expect(await people()).toEqual([video.id, other.id]);

    await edit({ people: [] });
    expect(await linkRows()).toEqual([]);
    expect(await people()).toEqual([other.id]);
    await edit({ people: [ada.id] });
    expect(await people()).toEqual([video.id, other.id]);
    await core.call.trash.trash({ items: [{ type: 'video', id: video.id }] });
    const afterTrash = (await core.call.links.backLinks({ type: 'person', id: ada.id })).groups.find(
      (group) => group.type === 'video',
    )!;
    expect([afterTrash.count, afterTrash.inTrash]).toEqual([1, 1]);
  });
});
