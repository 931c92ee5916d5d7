/**
 * Issue 16 (initial sync): a bulk write (a pulled page, an import) lists its entries for the search index
 * and the back-links instead of writing their pages in the page's transaction: one by one, or the whole
 * entity table at once when the write is into an empty table (an initial sync's pages). Every read catches
 * up first, so nothing is ever missing from a search or a back-link count; without a read the lists are
 * made in the background once the app leaves the file alone; entries listed when the app stops are made
 * after the next open, and a whole table's catch-up goes on from the last chunk it committed.
 */
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { idsInOrder, waitingList } from '../../main/services/derived-tables';
import type { SqliteInternals } from '../../main/storage';
import { withBinding } from '../../main/storage/native-binding';
import { generateCatalog } from '../../shared/sample';
import { openTestCore, type TestCore } from './helpers';

const PULLED = 'replication-downstream-test';
const WAL_HEADER = 32;
const WAL_FRAME_HEADER = 24;
/** More than a catch-up makes per transaction (2,000), so it takes several. */
const VIDEOS = 2_500;

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

function videoTable(core: TestCore): string {
  return (core.context.database.entities.video.storageInstance.internals as SqliteInternals).table.name;
}

const catalog = generateCatalog({ video: VIDEOS, person: 0, dog: 0, trip: 0, series: 0 }, 11);
/** Videos of a second page, pulled into a table that holds the first one. */
const more = generateCatalog({ video: 300, person: 0, dog: 0, trip: 0, series: 0 }, 12);
type People = { featured: string; other: string };

/** One pulled page: every video names `featured`, every third one `other` too. */
function pulledPage({ featured, other }: People, videos = catalog.video) {
  return videos.map((video, index) => ({
    document: {
      ...video,
      title: `Pulled glacier ${index}`,
      people: index % 3 === 0 ? [featured, other] : [featured],
      _deleted: false,
      _attachments: {},
      _rev: '1-pulled',
      _meta: { lwt: 1 + index },
    },
  }));
}

/** Writes the page as the replication does, and commits the batch of pulled writes it joined. */
async function pull(core: TestCore, people: People, videos = catalog.video): Promise<void> {
  const { storageInstance } = core.context.database.entities.video;
  expect((await storageInstance.bulkWrite(pulledPage(people, videos) as never, PULLED)).error).toEqual([]);
  fileOf(core).replicaBatch.commit();
}

/** The names of the b-trees (tables, indexes) whose pages `write` put into the WAL. */
async function btreesWrittenBy(core: TestCore, write: () => Promise<unknown>): Promise<Set<string>> {
  const file = fileOf(core);
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

/** What the two waiting lists hold: entries listed one by one, and whole tables. */
const waiting = (core: TestCore) =>
  fileOf(core)
    .connection.prepare(
      `SELECT (SELECT count(*) FROM curio_search_waiting) AS search, (SELECT count(*) FROM curio_links_waiting) AS links,
        (SELECT count(*) FROM curio_search_waiting_tables) AS searchTables,
        (SELECT count(*) FROM curio_links_waiting_tables) AS linksTables`,
    )
    .get() as { search: number; links: number; searchTables: number; linksTables: number };
const NOTHING_WAITING = { search: 0, links: 0, searchTables: 0, linksTables: 0 };

const videoCount = async (core: TestCore, personId: string) =>
  (await core.call.links.backLinks({ type: 'person', id: personId })).groups.find((group) => group.type === 'video')!
    .count;

/** The ids of the videos a search finds (both pages name theirs "Pulled glacier <n>"). */
const searchedIds = async (core: TestCore, query: string) =>
  (await core.call.entities.search({ query, types: ['video'], limit: 50 })).map((hit) => hit.id);

/** The two people the videos name, and both derived tables opened (each opens on its first read). */
async function prepare(core: TestCore): Promise<People> {
  const create = async (name: string) => (await core.call.entities.create({ type: 'person', fields: { name } })).id;
  const people = { featured: await create('Ada Featured'), other: await create('Ola Other') };
  await core.call.entities.search({ query: 'anything' });
  await videoCount(core, people.featured);
  return people;
}

describe('search index and back-links of a bulk write', () => {
  it('a pulled page into an empty table lists the table once: no entry one by one, no page of the index or the links', async () => {
    const core = await open();
    const people = await prepare(core);
    const written = await btreesWrittenBy(core, () => pull(core, people));
    expect(written).toContain('curio_search_waiting_tables');
    expect(written).toContain('curio_links_waiting_tables');
    const derived = [...written].filter(
      (name) => /^curio_(search|links)/.test(name) && !/^curio_(search|links)_waiting_tables$/.test(name),
    );
    expect(derived).toEqual([]);
    expect(waiting(core)).toEqual({ search: 0, links: 0, searchTables: 1, linksTables: 1 });
    // A read catches up first: nothing is missing.
    expect(await videoCount(core, people.featured)).toBe(VIDEOS);
    expect(await videoCount(core, people.other)).toBe(Math.ceil(VIDEOS / 3));
    const hits = await core.call.entities.search({ query: 'glacier', limit: 200, types: ['video'] });
    expect(hits).toHaveLength(200);
    expect((await core.call.entities.search({ query: `glacier ${VIDEOS - 1}` }))[0]?.title).toBe(
      `Pulled glacier ${VIDEOS - 1}`,
    );
    expect(waiting(core)).toEqual(NOTHING_WAITING);
  });

  it('a page pulled into a table that holds entries lists its entries one by one', async () => {
    const core = await open();
    const people = await prepare(core);
    await pull(core, people);
    // Both read, so both have caught up with the first page.
    expect(await videoCount(core, people.featured)).toBe(VIDEOS);
    expect(await searchedIds(core, `glacier ${VIDEOS - 1}`)).toContain(catalog.video[VIDEOS - 1]!.id);
    await pull(core, people, more.video);
    expect(waiting(core)).toEqual({
      search: more.video.length,
      links: more.video.length,
      searchTables: 0,
      linksTables: 0,
    });
    expect(await videoCount(core, people.featured)).toBe(VIDEOS + more.video.length);
    expect(await searchedIds(core, 'glacier 299')).toContain(more.video[299]!.id);
    expect(waiting(core)).toEqual(NOTHING_WAITING);
  });

  it('a page pulled while its whole table waits from the first row lists nothing more, and is made with it', async () => {
    const core = await open();
    const people = await prepare(core);
    await pull(core, people);
    await pull(core, people, more.video);
    expect(waiting(core)).toEqual({ search: 0, links: 0, searchTables: 1, linksTables: 1 });
    expect(await videoCount(core, people.featured)).toBe(VIDEOS + more.video.length);
    expect(await videoCount(core, people.other)).toBe(Math.ceil(VIDEOS / 3) + Math.ceil(more.video.length / 3));
    expect(await searchedIds(core, 'glacier 299')).toContain(more.video[299]!.id);
    expect(waiting(core)).toEqual(NOTHING_WAITING);
  });

  it('without a read, the waiting entries are made in the background', async () => {
    const core = await open();
    const people = await prepare(core);
    await pull(core, people);
    expect(waiting(core)).not.toEqual(NOTHING_WAITING);
    await vi.waitFor(() => expect(waiting(core)).toEqual(NOTHING_WAITING), { timeout: 30_000, interval: 50 });
    const links = fileOf(core)
      .connection.prepare('SELECT count(*) FROM curio_links WHERE target_id = ?')
      .pluck()
      .get(people.featured);
    expect(links).toBe(VIDEOS);
    const indexed = fileOf(core).connection.prepare("SELECT count(*) FROM curio_search WHERE entry_type = 'video'");
    expect(indexed.pluck().get()).toBe(VIDEOS);
  });

  it('entries still waiting when the app stops are made after the next open', async () => {
    // Closed by the test; the reopened core removes the folder.
    const first = await openTestCore();
    const people = await prepare(first);
    await pull(first, people);
    await first.close();
    const db = new Database(fileOf(first).path, { ...withBinding(), readonly: true });
    try {
      expect(db.prepare('SELECT type, after FROM curio_links_waiting_tables').all()).toEqual([
        { type: 'video', after: '' },
      ]);
      expect(db.prepare('SELECT count(*) FROM curio_links').pluck().get()).toBe(0);
    } finally {
      db.close();
    }
    const again = await open(first.dataDir);
    expect(await videoCount(again, people.featured)).toBe(VIDEOS);
    expect((await again.call.entities.search({ query: 'glacier 7' }))[0]?.title).toBe('Pulled glacier 7');
  });

  it('a whole table is made a chunk per transaction: after a failed chunk, the next catch-up goes on from the last one made', async () => {
    const core = await open();
    const people = await prepare(core);
    await pull(core, people);
    const file = fileOf(core);
    const made: string[] = [];
    let chunks = 0;
    const list = waitingList({
      file,
      table: 'test_waiting',
      fill: (_type, ids) => {
        chunks += 1;
        if (chunks === 2) throw new Error('The disk is full.');
        made.push(...ids);
      },
      idsAfter: idsInOrder(file.writer, new Map([['video', videoTable(core)]])),
      changes: [],
      what: 'the test rows',
      chunk: { idle: 1_000, readerWaiting: 1_000 },
    });
    try {
      list.mark('video', [], true);
      await expect(list.catchUp()).rejects.toThrow('The disk is full.');
      const allIds = catalog.video.map((video) => video.id).sort();
      expect(made).toEqual(allIds.slice(0, 1_000));
      const after = () => file.connection.prepare('SELECT after FROM test_waiting_tables').pluck().all();
      expect(after()).toEqual([allIds[999]]);
      // Begun, the whole table no longer covers a new write's entries: they are listed one by one.
      list.mark('video', [allIds[0]!], false);
      expect(file.connection.prepare('SELECT id FROM test_waiting').pluck().all()).toEqual([allIds[0]]);
      await list.catchUp();
      expect(made.slice(1_000).sort()).toEqual([allIds[0], ...allIds.slice(1_000)].sort());
      expect(after()).toEqual([]);
    } finally {
      list.close();
    }
  });
});
