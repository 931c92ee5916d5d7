/**
 * Issue 16 (initial sync): the first bulk pulled write into an empty entity table drops the table's
 * indexes, all but the primary key's, the (lwt, id) one the replication reads and the live-or-trash one the
 * counts read, and lists them; they are made again once the writes pause, each as it was. Meanwhile lists
 * and counts answer right. A table that has rows keeps its indexes; indexes listed when the app stops are
 * made after the next open. A replication's meta table keeps none of its own: RxDB reads it by id alone, and
 * the replication's checkpoint rows it holds before the first page do not make it a table with rows.
 */
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SqliteInternals } from '../../main/storage';
import { withBinding } from '../../main/storage/native-binding';
import type { EntityDocument } from '../../shared/entities';
import { generateCatalog } from '../../shared/sample';
import { openReplicationMeta } from '../storage/helpers';
import { openTestCore, type TestCore } from './helpers';

const PULLED = 'replication-downstream-test';
const VIDEOS = 600;

const opened: TestCore[] = [];
afterEach(async () => {
  for (const core of opened.splice(0)) await core.dispose();
});

async function open(dataDir?: string): Promise<TestCore> {
  const core = await openTestCore(dataDir ? { dataDir } : {});
  opened.push(core);
  return core;
}

function internalsOf(core: TestCore) {
  return core.context.database.entities.video.storageInstance.internals as SqliteInternals;
}

const catalog = generateCatalog({ video: VIDEOS, person: 0, dog: 0, trip: 0, series: 0 }, 5);

/** Writes a page of videos as the replication does, and commits the batch of pulled writes it joined. */
async function pull(core: TestCore, videos = catalog.video, title = (index: number) => `Pulled reel ${index}`) {
  const page = videos.map((video, index) => ({
    document: {
      ...video,
      title: title(index),
      _deleted: false,
      _attachments: {},
      _rev: '1-pulled',
      _meta: { lwt: 1 + index },
    },
  }));
  const { storageInstance } = core.context.database.entities.video;
  expect((await storageInstance.bulkWrite(page as never, PULLED)).error).toEqual([]);
  internalsOf(core).file.replicaBatch.commit();
}

interface IndexRow {
  name: string;
  sql: string | null;
}

/** The video table's indexes as the file has them, by name. */
function videoIndexes(core: TestCore): IndexRow[] {
  const { file, table } = internalsOf(core);
  return file.connection
    .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? ORDER BY name")
    .all(table.name) as IndexRow[];
}

const listed = (core: TestCore) =>
  internalsOf(core).file.connection.prepare('SELECT name FROM curio_deferred_indexes ORDER BY name').pluck().all();

describe('indexes of a table an initial sync fills', () => {
  it('are left out of the pulled pages and made again as they were once the writes pause', async () => {
    const core = await open();
    const before = videoIndexes(core);
    // The list columns, dates, names ignoring case and durations: more than the three kept.
    expect(before.length).toBeGreaterThan(5);
    const { table } = internalsOf(core);
    const kept = table.indexesKeptThroughInitialSync;
    expect(kept).toHaveLength(2);

    await pull(core);
    const during = videoIndexes(core);
    const keptNow = during.filter((index) => index.sql !== null).map((index) => index.name);
    expect(keptNow.sort()).toEqual([...kept].sort());
    expect(during.filter((index) => index.sql === null)).toEqual(before.filter((index) => index.sql === null));
    const deferred = before.filter((index) => index.sql !== null && !kept.includes(index.name));
    expect(listed(core)).toEqual(deferred.map((index) => index.name).sort());

    // Lists, sorted by a deferred column, and counts answer right meanwhile.
    const page = await core.call.entities.list({
      type: 'video',
      sort: { field: 'title', direction: 'desc' },
      limit: 3,
    });
    const titles = catalog.video.map((_, index) => `Pulled reel ${index}`).sort((a, b) => b.localeCompare(a));
    expect(page.items.map((item) => (item as EntityDocument<'video'>).title)).toEqual(titles.slice(0, 3));
    expect((await core.call.entities.counts()).video).toEqual({ live: VIDEOS, trash: 0 });

    await vi.waitFor(() => expect(listed(core)).toEqual([]), { timeout: 20_000, interval: 50 });
    expect(videoIndexes(core)).toEqual(before);
  });

  it('wait through the short pauses between pages of a slow link', async () => {
    const core = await open();
    const before = videoIndexes(core);
    const half = VIDEOS / 2;
    await pull(core, catalog.video.slice(0, half));
    expect(listed(core)).not.toEqual([]);
    // Longer than the app's pause idle work waits for (300 ms), shorter than the pause between pulls (1 s).
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(listed(core)).not.toEqual([]);
    await pull(core, catalog.video.slice(half));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(listed(core)).not.toEqual([]);

    await vi.waitFor(() => expect(listed(core)).toEqual([]), { timeout: 20_000, interval: 50 });
    expect(videoIndexes(core)).toEqual(before);
  });

  it('a table that has rows keeps its indexes through a pulled page', async () => {
    const core = await open();
    await core.call.entities.create({ type: 'video', fields: { title: 'Made here first' } });
    const before = videoIndexes(core);
    await pull(core);
    expect(listed(core)).toEqual([]);
    expect(videoIndexes(core)).toEqual(before);
  });

  it('a page of a few documents keeps them too', async () => {
    const core = await open();
    const before = videoIndexes(core);
    await pull(core, catalog.video.slice(0, 20));
    expect(listed(core)).toEqual([]);
    expect(videoIndexes(core)).toEqual(before);
  });

  it('indexes still listed when the app stops are made after the next open', async () => {
    // Closed by the test; the reopened core removes the folder.
    const first = await openTestCore();
    const before = videoIndexes(first);
    await pull(first);
    await first.close();
    const { path } = internalsOf(first).file;
    const db = new Database(path, { ...withBinding(), readonly: true });
    let left: number;
    try {
      left = db.prepare('SELECT count(*) FROM curio_deferred_indexes').pluck().get() as number;
    } finally {
      db.close();
    }
    expect(left).toBeGreaterThan(0);
    const again = await open(first.dataDir);
    await vi.waitFor(() => expect(listed(again)).toEqual([]), { timeout: 20_000, interval: 50 });
    expect(videoIndexes(again)).toEqual(before);
    expect((await again.call.entities.counts()).video).toEqual({ live: VIDEOS, trash: 0 });
  });

  it('are made at once when asked, without waiting for a pause', async () => {
    const core = await open();
    const before = videoIndexes(core);
    await pull(core);
    expect(listed(core)).not.toEqual([]);
    await internalsOf(core).file.deferredIndexes.makeAll();
    expect(listed(core)).toEqual([]);
    expect(videoIndexes(core)).toEqual(before);
  });
});

describe("the indexes of a replication's meta table an initial sync fills", () => {
  /** The video collection's replication meta table, as RxDB's replication opens it. */
  async function openMeta(core: TestCore) {
    const { db, entities } = core.context.database;
    const meta = await openReplicationMeta(db.storage, db, entities.video, 'deferral');
    const { table } = meta.internals as SqliteInternals;
    const indexes = () =>
      internalsOf(core)
        .file.connection.prepare(
          "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name",
        )
        .pluck()
        .all(table.name) as string[];
    return { meta, indexes };
  }

  /** Meta rows as the replication writes them: the checkpoint's, or a page's about documents. */
  const checkpointRow = { id: 'down|1', isCheckpoint: '1', itemId: 'down', checkpointData: { id: 'a', lwt: 1 } };
  const documentRows = catalog.video.map((video) => ({
    id: `${video.id}|0`,
    isCheckpoint: '0',
    itemId: video.id,
    docData: { ...video, _deleted: false },
  }));
  async function writeMeta(core: TestCore, meta: Awaited<ReturnType<typeof openMeta>>['meta'], rows: object[]) {
    const written = rows.map((row, index) => ({
      document: { ...row, _deleted: false, _attachments: {}, _rev: '1-meta', _meta: { lwt: 1 + index } },
    }));
    expect((await meta.bulkWrite(written as never, PULLED)).error).toEqual([]);
    internalsOf(core).file.replicaBatch.commit();
  }

  it('are left out of its first page, its checkpoint row already written, and made again as they were', async () => {
    const core = await open();
    const { meta, indexes } = await openMeta(core);
    const before = indexes();
    expect(before.length).toBeGreaterThan(0);
    await writeMeta(core, meta, [checkpointRow]);

    await writeMeta(core, meta, documentRows);
    expect(indexes()).toEqual([]);
    expect(listed(core)).toEqual(expect.arrayContaining(before));
    // Read by id meanwhile, as RxDB does.
    const [first] = await meta.findDocumentsById([documentRows[0]!.id], false);
    expect(first).toMatchObject({ itemId: catalog.video[0]!.id });

    await vi.waitFor(() => expect(listed(core)).toEqual([]), { timeout: 20_000, interval: 50 });
    expect(indexes()).toEqual(before);
    await meta.close();
  });

  it('a meta table that holds rows about documents keeps its indexes', async () => {
    const core = await open();
    const { meta, indexes } = await openMeta(core);
    const before = indexes();
    await writeMeta(core, meta, [checkpointRow, ...documentRows.slice(0, 1)]);
    await writeMeta(core, meta, documentRows.slice(1));
    expect(listed(core)).toEqual([]);
    expect(indexes()).toEqual(before);
    await meta.close();
  });
});
