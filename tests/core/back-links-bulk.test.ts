/**
 * Issue 16: a bulk write (a pulled page) lists its entries, and their back-links and search rows are made
 * together before the next read (the catch-up), while single writes keep their SQL triggers. Both must
 * make exactly the same rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqliteInternals } from '../../main/storage';
import { generateCatalog } from '../../shared/sample';
import { openTestCore, type TestCore } from './helpers';

const PULLED = 'replication-downstream-test';
let bulk: TestCore;
let oneByOne: TestCore;

type Doc = Record<string, unknown>;
/** A row of a storage write: the document, and the stored one it replaces. */
type Row = { previous?: Doc; document: Doc };

/** Ten videos covering every case: lists with several entries, empty lists, missing single links, trash, tombstones. */
function videos(): Row[] {
  const catalog = generateCatalog({ video: 10, person: 3, dog: 3, trip: 2, series: 2 }, 5);
  return catalog.video.map((video, index) => {
    const doc: Record<string, unknown> = {
      ...video,
      people: index % 3 === 0 ? [] : catalog.person.slice(0, 1 + (index % 3)).map((person) => person.id),
      dogs: catalog.dog.slice(0, index % 4).map((dog) => dog.id),
      tripId: catalog.trip[index % 2]!.id,
      seriesId: catalog.series[index % 2]!.id,
    };
    if (index % 2 === 1) delete doc.tripId;
    if (index % 5 === 0) delete doc.seriesId;
    if (index === 3 || index === 4)
      Object.assign(doc, { deletedAt: '2026-11-30T10:00:00.000Z', deletedBy: video.createdBy });
    return {
      document: { ...doc, _deleted: index === 9, _attachments: {}, _rev: '1-pulled', _meta: { lwt: 1 + index } },
    };
  });
}

async function linkRows(core: TestCore): Promise<unknown[]> {
  // A read of back-links catches up first (before the first write the entry is missing: the table opens).
  const live = firstRows[1]!.document.id as string;
  await core.call.links.backLinks({ type: 'video', id: live }).catch(() => undefined);
  const instance = core.context.database.entities.video.storageInstance;
  const { file } = instance.internals as SqliteInternals;
  return file.connection
    .prepare(
      'SELECT target_id, source_type, source_id, field, in_trash FROM curio_links ORDER BY source_id, field, target_id',
    )
    .all();
}

/** The search index's rows: what a hit shows, by entry. */
async function searchRows(core: TestCore): Promise<unknown[]> {
  // The search service opens the index on first use.
  await core.call.entities.search({ query: 'anything', limit: 1 });
  const { file } = core.context.database.entities.video.storageInstance.internals as SqliteInternals;
  return file.connection
    .prepare(
      `SELECT s.entry_id, s.entry_title, s.in_trash, r.fts IS NOT NULL AS mapped
       FROM curio_search s LEFT JOIN curio_search_rows r ON r.fts = s.rowid ORDER BY s.entry_id`,
    )
    .all();
}

/**
 * The same rows in one bulk write to `bulk`, and one write per row to `oneByOne`. `rowsOf` makes them for
 * each core: a write names the revision it replaces, and each database makes its own revisions
 * (`<height>-<its token>`).
 */
async function writeBoth(rowsOf: (stored: Map<string, Doc>, token: string) => Row[]): Promise<void> {
  for (const core of [bulk, oneByOne]) {
    const { storageInstance } = core.context.database.entities.video;
    const ids = firstRows.map((row) => row.document.id as string);
    const stored = new Map((await storageInstance.findDocumentsById(ids, true)).map((doc) => [doc.id as string, doc]));
    const rows = rowsOf(stored, core.context.database.db.token);
    const writes = core === bulk ? [rows] : rows.map((row) => [row]);
    for (const write of writes) expect((await storageInstance.bulkWrite(write as never, PULLED)).error).toEqual([]);
  }
}

let firstRows: Row[];

beforeAll(async () => {
  bulk = await openTestCore();
  oneByOne = await openTestCore();
  firstRows = videos();
  for (const core of [bulk, oneByOne]) {
    await linkRows(core);
    await searchRows(core);
  }
  await writeBoth(() => firstRows);
});
afterAll(async () => {
  await bulk.dispose();
  await oneByOne.dispose();
});

describe('back-links of a bulk write', () => {
  it('are the rows the triggers make for the same documents written one by one', async () => {
    const fromTriggers = await linkRows(oneByOne);
    expect(fromTriggers.length).toBeGreaterThan(10);
    expect(fromTriggers).toContainEqual(expect.objectContaining({ in_trash: 1 }));
    expect(await linkRows(bulk)).toEqual(fromTriggers);
    expect(await searchRows(bulk)).toEqual(await searchRows(oneByOne));
  });

  it('replace the rows of entries already stored, and of an entry the write holds twice', async () => {
    const twiceId = '01900000-0000-7000-8000-0000000000aa';
    await writeBoth((stored, token) => {
      const updated = firstRows.slice(0, 9).map(({ document }, index) => {
        const previous = stored.get(document.id as string)!;
        const doc: Doc = {
          ...previous,
          title: `Retitled ${index}`,
          people: index % 2 === 0 ? [] : (document.people as string[]).slice(0, 1),
          _meta: { lwt: 100 + index },
        };
        if (index === 0) doc._deleted = true;
        if (index === 3) Object.assign(doc, { deletedAt: null, deletedBy: null });
        if (index === 5) Object.assign(doc, { deletedAt: '2026-12-01T10:00:00.000Z', deletedBy: document.createdBy });
        return { previous, document: doc };
      });
      const twice = { ...firstRows[1]!.document, id: twiceId, title: 'Written twice', _meta: { lwt: 200 } };
      const again = { ...twice, title: 'Written twice, second', dogs: [], _meta: { lwt: 201 } };
      return [
        ...updated,
        { document: twice },
        { previous: { ...twice, _rev: `1-${token}` }, document: again },
      ] as Row[];
    });
    const fromTriggers = await linkRows(oneByOne);
    expect(fromTriggers).toContainEqual(expect.objectContaining({ source_id: twiceId }));
    expect(await linkRows(bulk)).toEqual(fromTriggers);
    const searched = await searchRows(oneByOne);
    expect(searched).toContainEqual(expect.objectContaining({ entry_title: 'Written twice, second' }));
    expect(searched).not.toContainEqual(expect.objectContaining({ entry_id: firstRows[0]!.document.id }));
    expect(await searchRows(bulk)).toEqual(searched);
  });
});
