/**
 * Issue 16: a bulk write (a pulled page) fills the back-links itself, from the documents in JavaScript,
 * while single writes keep their SQL triggers. Both must make exactly the same rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqliteInternals } from '../../main/storage';
import { generateCatalog } from '../../shared/sample';
import { openTestCore, type TestCore } from './helpers';

const PULLED = 'replication-downstream-test';
let bulk: TestCore;
let oneByOne: TestCore;

/** Ten videos covering every case: lists with several entries, empty lists, missing single links, trash, tombstones. */
function videos() {
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
  // The links service opens the table on first use.
  await core.call.links.backLinks({ type: 'dog', id: 'none' }).catch(() => undefined);
  const instance = core.context.database.entities.video.storageInstance;
  const { file } = instance.internals as SqliteInternals;
  return file.connection
    .prepare(
      'SELECT target_id, source_type, source_id, field, in_trash FROM curio_links ORDER BY source_id, field, target_id',
    )
    .all();
}

beforeAll(async () => {
  bulk = await openTestCore();
  oneByOne = await openTestCore();
  const rows = videos();
  await linkRows(bulk);
  await linkRows(oneByOne);
  const bulkResult = await bulk.context.database.entities.video.storageInstance.bulkWrite(rows as never, PULLED);
  expect(bulkResult.error).toEqual([]);
  for (const row of rows) {
    const result = await oneByOne.context.database.entities.video.storageInstance.bulkWrite([row] as never, PULLED);
    expect(result.error).toEqual([]);
  }
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
  });
});
