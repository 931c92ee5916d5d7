/**
 * A catch-up's pulled pages are checked against the zod schemas on a thread of their own, and the storage's
 * write of their documents waits for that check instead of making it (docs/decisions.md, "Pulled pages
 * checked on a thread of their own"). The storage must take the check only for the very document checked,
 * and only in RxDB's writes of pulled documents; everything else it checks itself, as before.
 */
import { pathToFileURL } from 'node:url';
import { fillWithDefaultSettings, type RxStorageInstance } from 'rxdb';
import { afterEach, describe, expect, it } from 'vitest';
import { getRxStorageSqlite, type SqliteInternals } from '../../main/storage';
import { PulledCheck } from '../../main/sync/pulled-check';
import type { PulledCheckAnswer } from '../../main/sync/pulled-check-worker';
import { startWorker } from '../../main/threads';
import { entityRxSchema } from '../../shared/rx-schema';
import { markPageChecked, wrappedValidateZodStorage, type PageVerdict } from '../../shared/rx-zod-validator';
import { generateCatalog } from '../../shared/sample';
import { createInstance, tempDirectory } from '../storage/helpers';

const PULLED = 'replication-downstream-test';
const LOCAL = 'rx-collection-bulk-insert';

let cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

type Table = RxStorageInstance<Record<string, unknown>, unknown, unknown>;
type Row = Parameters<Table['bulkWrite']>[0][number];

async function seriesTable(): Promise<Table> {
  const { directory, cleanup } = tempDirectory();
  const storage = wrappedValidateZodStorage({ storage: getRxStorageSqlite({ directory }) });
  const schema = fillWithDefaultSettings(entityRxSchema('series')) as never;
  const instance = await createInstance(storage, 'profile', 'series', schema);
  cleanups.push(cleanup, () => instance.close());
  return instance as never;
}

/** A check of pulled pages, closed after the test. */
function newCheck(): PulledCheck {
  const check = new PulledCheck(pathToFileURL('main/sync/pulled-check.ts').href);
  cleanups.push(() => check.close());
  return check;
}

/** A check started ahead, as a sign-in starts it, once its thread has loaded the schemas. */
async function readyCheck(): Promise<PulledCheck> {
  const check = newCheck();
  check.startAhead();
  await expect.poll(() => check.ready, { timeout: 20_000 }).toBe(true);
  return check;
}

/** Pulled series as the server sends them, and as RxDB writes them (its own `_` fields added). */
let seed = 1;
function pulledSeries(count: number): Record<string, unknown>[] {
  return generateCatalog({ video: 0, person: 0, dog: 0, trip: 0, series: count }, seed++).series.map((doc) => ({
    ...doc,
    _deleted: false,
  }));
}
const written = (doc: Record<string, unknown>, changes: Record<string, unknown> = {}): Row =>
  ({ document: { ...doc, ...changes, _meta: { lwt: Date.now() }, _rev: '1-a', _attachments: {} } }) as Row;

/** A page's verdict naming `invalid`, without the documents' places in its line. */
const verdict = (invalid: string[] = []): Promise<PageVerdict> =>
  Promise.resolve({ invalid: new Set(invalid), spans: null });

/** The JSON text a table's row of `id` holds, as stored. */
function storedText(table: Table, id: string): string {
  const { table: collection } = table.internals as SqliteInternals;
  return collection.db.prepare(`SELECT data FROM ${collection.quoted} WHERE id = ?`).pluck().get(id) as string;
}

describe('pulled documents checked off the main thread', () => {
  it('the storage takes a page’s check for a pulled document with the very fields checked, and only then', async () => {
    const table = await seriesTable();
    // Named valid by the check on purpose, though the storage would refuse it: which one decided shows.
    const [trusted, altered, local, named] = pulledSeries(4).map((doc): Record<string, unknown> => ({
      ...doc,
      name: '',
    }));
    markPageChecked('series', [trusted!, altered!, local!, named!], verdict([String(named!.id)]), '');

    const pulled = await table.bulkWrite(
      [written(trusted!), written(altered!, { description: 'changed after the check' }), written(named!)],
      PULLED,
    );
    expect(pulled.error.map((error) => [error.documentId, error.status]).sort()).toEqual(
      [
        [String(altered!.id), 422],
        [String(named!.id), 422],
      ].sort(),
    );
    const byLocal = await table.bulkWrite([written(local!)], LOCAL);
    expect(byLocal.error).toMatchObject([{ status: 422, documentId: String(local!.id) }]);
    expect(byLocal.error[0]).toMatchObject({ validationErrors: [expect.objectContaining({ field: 'name' })] });
    const stored = await table.findDocumentsById(
      [trusted, altered, local, named].map((d) => String(d!.id)),
      false,
    );
    expect(stored.map((d) => d.id)).toEqual([trusted!.id]);
  });

  it('a check of a page of another collection is not taken for a document of the same id', async () => {
    const table = await seriesTable();
    const [document] = pulledSeries(1).map((doc): Record<string, unknown> => ({ ...doc, name: '' }));
    // The very same fields, checked (and passed) as a page of dogs: the series table checks them itself.
    markPageChecked('dog', [document!], verdict(), '');
    const result = await table.bulkWrite([written(document!)], PULLED);
    expect(result.error).toMatchObject([{ status: 422, documentId: String(document!.id) }]);
  });

  it('a pulled document without a check (a stream item, a page before the thread was ready) is checked by the storage', async () => {
    const table = await seriesTable();
    const [valid, invalid] = pulledSeries(2);
    const result = await table.bulkWrite([written(valid!), written(invalid!, { name: '' })], PULLED);
    expect(result.error).toMatchObject([{ status: 422, documentId: String(invalid!.id) }]);
  });

  it('the thread names the invalid documents of a page line, and says when it cannot read one', async () => {
    const worker = startWorker('pulled-check-worker', null, pathToFileURL('main/sync/pulled-check.ts').href);
    cleanups.push(() => worker.terminate());
    const answers: PulledCheckAnswer[] = [];
    worker.on('message', (answer: PulledCheckAnswer) => answers.push(answer));
    const documents = pulledSeries(3);
    documents[1] = { ...documents[1]!, name: '' };
    documents[2] = { ...documents[2]!, startDate: '2024-02-30' };
    worker.postMessage({
      id: 1,
      collection: 'series',
      line: JSON.stringify({ documents, checkpoint: { sequence: 3 } }),
    });
    worker.postMessage({ id: 2, collection: 'series', line: '{"documents": [' });
    await expect.poll(() => answers.length, { timeout: 20_000 }).toBe(3);
    expect(answers).toEqual([
      { ready: true },
      { id: 1, invalid: [String(documents[1]!.id), String(documents[2]!.id)], spans: expect.any(Int32Array) },
      { id: 2, invalid: null, spans: null },
    ]);
    // Where each document lies in the line it was sent as, for the storage to store that text.
    const { spans } = answers[1] as { spans: Int32Array };
    const line = JSON.stringify({ documents, checkpoint: { sequence: 3 } });
    expect(documents.map((_, k) => JSON.parse(line.slice(spans[2 * k], spans[2 * k + 1])))).toEqual(documents);
  });

  it('a check started ahead of a catch-up (a sign-in) checks its very first page on the thread, however small', async () => {
    const check = await readyCheck();
    const table = await seriesTable();
    // As below: the storage would refuse the emptied name; the thread's verdict on the line the server sent passes it.
    const line = JSON.stringify({ documents: pulledSeries(3), checkpoint: { sequence: 3 } });
    const page = check.page('series', line, (text) => {
      const parsed = JSON.parse(text) as { documents: Record<string, unknown>[] };
      parsed.documents[1]!.name = '';
      return parsed;
    });
    const result = await table.bulkWrite(
      page.documents.map((doc) => written(doc)),
      PULLED,
    );
    expect(result.error).toEqual([]);
  });

  it('a checked page’s documents are stored as the line holds them, and read back as they were written', async () => {
    const check = await readyCheck();
    const table = await seriesTable();
    const documents = pulledSeries(3).map((doc, k) => ({ ...doc, name: `Café "${k}" \\ ${String(doc.name)}` }));
    // The same values as JSON.stringify would write them, in a text of its own: an escaped é, spaces.
    const line = JSON.stringify({ documents, checkpoint: { sequence: 3 } })
      .replaceAll('é', '\\u00e9')
      .replaceAll('{"id":', '{ "id" : ');
    const page = check.page('series', line, (text) => JSON.parse(text) as { documents: Record<string, unknown>[] });
    const rows = page.documents.map((doc) => written(doc));
    expect((await table.bulkWrite(rows, PULLED)).error).toEqual([]);
    for (const row of rows) {
      const text = storedText(table, String(row.document.id));
      expect(text.startsWith('{ "id" : ')).toBe(true);
      expect(text).toContain('Caf\\u00e9');
      expect(JSON.parse(text)).toEqual(row.document);
      expect(Object.keys(JSON.parse(text) as object)).toEqual(Object.keys(row.document));
    }
    // Read back by RxDB's path too (the documents the storage keeps parsed aside).
    const read = await table.findDocumentsById(
      rows.map((row) => String(row.document.id)),
      false,
    );
    expect(read.map((doc) => doc.name)).toEqual(documents.map((doc) => doc.name));
  });

  it('a catch-up page is checked on the thread once it is ready; before, and once it ended, the storage checks it', async () => {
    const check = newCheck();
    const table = await seriesTable();
    // The line sent is valid; the parse hands on one document emptied of its name. Which one was checked shows
    // in the write: the storage refuses the emptied document, a verdict on the line passes it.
    const pulledPage = () => {
      const line = JSON.stringify({ documents: pulledSeries(600), checkpoint: { sequence: 600 } });
      const page = check.page('series', line, (text) => {
        const parsed = JSON.parse(text) as { documents: Record<string, unknown>[] };
        parsed.documents[5]!.name = '';
        return parsed;
      });
      return table.bulkWrite(
        page.documents.map((doc) => written(doc)),
        PULLED,
      );
    };
    // A catch-up's page (over 128 KiB) starts the thread; it is not ready yet, so the storage checks this one.
    expect((await pulledPage()).error).toMatchObject([{ status: 422 }]);
    await expect.poll(async () => (await pulledPage()).error, { timeout: 20_000 }).toEqual([]);
    // A thread that ends leaves the checks to the storage; a write never waits for a thread that is gone.
    await check.close();
    expect((await pulledPage()).error).toMatchObject([{ status: 422 }]);
  });
});
