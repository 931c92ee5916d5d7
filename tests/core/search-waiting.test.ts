/**
 * Issue 16 (local save): a save marks its entry waiting in the search index instead of writing the
 * index's pages (FTS5 segment, structure, content, row map: about six pages per save). A search never
 * misses a saved entry, and an entry still waiting when the app stops is indexed at the next open.
 */
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { SqliteInternals } from '../../main/storage';
import { withBinding } from '../../main/storage/native-binding';
import { generateCatalog } from '../../shared/sample';
import { openTestCore, type TestCore } from './helpers';

const WAL_HEADER = 32;
const WAL_FRAME_HEADER = 24;

const opened: TestCore[] = [];
afterEach(async () => {
  for (const core of opened.splice(0)) await core.dispose();
});

async function open(dataDir?: string): Promise<TestCore> {
  const core = await openTestCore(dataDir ? { dataDir } : {});
  opened.push(core);
  return core;
}

function fileOf(core: TestCore) {
  return (core.context.database.entities.video.storageInstance.internals as SqliteInternals).file;
}

/** The names of the b-trees (tables, indexes) whose pages `write` put into the WAL. */
async function btreesWrittenBy(core: TestCore, write: () => Promise<unknown>): Promise<Set<string>> {
  const file = fileOf(core);
  // Everything before the write goes into the file, so the WAL holds the write's frames only.
  file.writer.pragma('wal_checkpoint(TRUNCATE)');
  await write();
  // Read at once, in the same turn: the catch-up waits for a timer.
  const frames = readFileSync(`${file.path}-wal`).subarray(WAL_HEADER);
  const pageSize = file.connection.pragma('page_size', { simple: true }) as number;
  const owner = new Map<number, string>();
  for (const row of file.connection.prepare('SELECT name, pageno FROM dbstat').all() as {
    name: string;
    pageno: number;
  }[])
    owner.set(row.pageno, row.name);
  const written = new Set<string>();
  for (let offset = 0; offset + WAL_FRAME_HEADER <= frames.length; offset += WAL_FRAME_HEADER + pageSize)
    written.add(owner.get(frames.readUInt32BE(offset)) ?? 'unknown');
  return written;
}

const titles = async (core: TestCore, query: string) =>
  (await core.call.entities.search({ query })).map((hit) => hit.title);

describe('search index and single saves', () => {
  it('a save writes its entry into the waiting list, no index page; a search right after finds it', async () => {
    const core = await open();
    expect(await titles(core, 'anything')).toEqual([]);
    let video = await core.call.entities.create({ type: 'video', fields: { title: 'Basalt columns' } });
    expect(await titles(core, 'basalt')).toEqual(['Basalt columns']);
    const written = await btreesWrittenBy(core, async () => {
      video = await core.call.entities.update({
        type: 'video',
        id: video.id,
        rev: video.rev,
        fields: { title: 'Obsidian columns' },
      });
    });
    expect(written).toContain('curio_search_waiting');
    expect([...written].filter((name) => name.startsWith('curio_search') && name !== 'curio_search_waiting')).toEqual(
      [],
    );
    expect(await titles(core, 'obsidian')).toEqual(['Obsidian columns']);
    expect(await titles(core, 'basalt')).toEqual([]);
    await core.call.trash.trash({ items: [{ type: 'video', id: video.id, rev: video.rev }] });
    expect(await titles(core, 'obsidian')).toEqual([]);
  });

  it('indexes an edit of the newest indexed entry together with a new one', async () => {
    const core = await open();
    const alpha = await core.call.entities.create({ type: 'series', fields: { name: 'Alpha falls' } });
    expect(await titles(core, 'alpha')).toEqual(['Alpha falls']);
    // Both wait for the same catch-up: the edit frees the newest index row while the new entry takes one.
    await core.call.entities.update({ type: 'series', id: alpha.id, rev: alpha.rev, fields: { name: 'Alpha rapids' } });
    await core.call.entities.create({ type: 'series', fields: { name: 'Beta falls' } });
    expect(await titles(core, 'falls')).toEqual(['Beta falls']);
    expect(await titles(core, 'rapids')).toEqual(['Alpha rapids']);
  });

  it('a pulled page that changes the newest indexed entry and adds new ones is written whole', async () => {
    const core = await open();
    const { storageInstance } = core.context.database.entities.series;
    const catalog = generateCatalog({ video: 0, person: 0, dog: 0, trip: 0, series: 16 }, 3);
    const page = (from: number, count: number) =>
      catalog.series.slice(from, from + count).map((series, i) => ({
        document: {
          ...series,
          name: `Pulled ${from + i}`,
          _deleted: false,
          _attachments: {},
          _rev: '1-pulled',
          _meta: { lwt: 1 + from + i },
        },
      }));
    const first = page(0, 8);
    expect((await storageInstance.bulkWrite(first as never, 'replication-downstream-test')).error).toEqual([]);
    const [newest] = await storageInstance.findDocumentsById([first[7]!.document.id], false);
    const edited = { ...newest!, name: 'Pulled renamed', _meta: { lwt: 100 } };
    const second = [{ previous: newest, document: edited }, ...page(8, 8)];
    expect((await storageInstance.bulkWrite(second as never, 'replication-downstream-test')).error).toEqual([]);
    expect(await titles(core, 'renamed')).toEqual(['Pulled renamed']);
    expect((await core.call.entities.search({ query: 'pulled', limit: 50 })).length).toBe(16);
  });

  it('an entry still waiting when the app stops is found after the next open', async () => {
    // Closed by the test; the reopened core removes the folder.
    const first = await openTestCore();
    expect(await titles(first, 'anything')).toEqual([]);
    await first.call.entities.create({ type: 'series', fields: { name: 'Lava tubes', description: 'Underground' } });
    await first.close();
    const db = new Database(`${fileOf(first).path}`, { ...withBinding(), readonly: true });
    try {
      // Stopped before the catch-up: the entry waits, nothing of it is indexed yet.
      expect(db.prepare('SELECT type FROM curio_search_waiting').pluck().all()).toEqual(['series']);
      expect(db.prepare("SELECT count(*) FROM curio_search WHERE entry_title = 'Lava tubes'").pluck().get()).toBe(0);
    } finally {
      db.close();
    }
    const again = await open(first.dataDir);
    expect(await titles(again, 'underground')).toEqual(['Lava tubes']);
  });
});
