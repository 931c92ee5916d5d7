import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AssumedMasters } from '../../main/storage/assumed-masters';
import { cacheDocument, forgetTableDocuments, tableDocuments } from '../../main/storage/document-cache';
import { openConnection } from '../../main/storage';
import type { SqliteDatabase } from '../../main/storage/sqlite-file';
import type { DocData } from '../../main/storage/stored-document';
import { tempDirectory } from './helpers';

/*
 * The meta rows of a pulled page are checked against their stored documents together (one read of the
 * stored revisions, main/storage/assumed-masters.ts). A row may refer to the stored document only when its
 * `docData` is exactly that document without RxDB's `_meta`, `_rev` and `_attachments`: whatever the row
 * becomes, reading it back gives the document RxDB wrote, as JSON.
 */

const ENTITY = 'entity_v0';
let db: SqliteDatabase;
let cleanup: () => void;

beforeEach(() => {
  const temp = tempDirectory();
  cleanup = temp.cleanup;
  db = openConnection(`${temp.directory}/page.sqlite`, null, {});
  db.exec(`CREATE TABLE ${ENTITY} (id TEXT PRIMARY KEY NOT NULL, rev TEXT NOT NULL, data TEXT NOT NULL)`);
});

afterEach(() => {
  forgetTableDocuments(`${db.name}|${ENTITY}`);
  db.close();
  cleanup();
});

/** Stores a document as the collection's table does, and (unless `cached` is false) in the document cache. */
function store(doc: DocData, cached = true): DocData {
  db.prepare(`INSERT OR REPLACE INTO ${ENTITY} (id, rev, data) VALUES (?, ?, ?)`).run(
    doc.id,
    doc._rev,
    JSON.stringify(doc),
  );
  if (cached) cacheDocument(tableDocuments(`${db.name}|${ENTITY}`), doc.id as string, doc);
  return doc;
}

/** A stored document as RxDB's downstream builds it: the server's version, then RxDB's own fields. */
function forkOf(master: Record<string, unknown>, rev: string): DocData {
  return Object.assign({}, master, { _meta: { lwt: 1 }, _rev: rev, _attachments: {} }) as unknown as DocData;
}

function metaOf(master: unknown, id: string): DocData {
  return {
    id: `${id}|0`,
    isCheckpoint: '0',
    itemId: id,
    docData: master,
    _attachments: {},
    _deleted: false,
    _rev: '1-meta',
    _meta: { lwt: 2 },
  } as unknown as DocData;
}

function server(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id, name: `Name ${id}`, tags: ['a', 'b'], nested: { label: 'x', flag: true }, ...extra };
}

/** Each case: the meta document, and whether its row may refer to the stored document. */
function cases(): { meta: DocData; refers: boolean }[] {
  const list: { meta: DocData; refers: boolean }[] = [];
  // The server's version as the pull stored it (fields shared by reference with the stored document).
  for (let i = 0; i < 4; i++) {
    const master = server(`same-${i}`);
    store(forkOf(master, `1-s${i}`));
    list.push({ meta: metaOf(master, `same-${i}`), refers: true });
  }
  // Equal as JSON but not the same objects; stored row not in the cache (parsed from the row).
  const parsed = server('parsed');
  store(forkOf(server('parsed'), '1-p'), false);
  list.push({ meta: metaOf(parsed, 'parsed'), refers: true });
  // The cache holds an older revision than the row: the row is what counts.
  const stale = server('stale');
  store(forkOf(server('stale', { name: 'Old name' }), '1-st'));
  store(forkOf(server('stale'), '2-st'), false);
  list.push({ meta: metaOf(stale, 'stale'), refers: true });
  // A nested value differs.
  store(forkOf(server('nested'), '1-n'));
  list.push({ meta: metaOf(server('nested', { nested: { label: 'y', flag: true } }), 'nested'), refers: false });
  // Nested keys in another order.
  store(forkOf(server('order'), '1-o'));
  list.push({ meta: metaOf(server('order', { nested: { flag: true, label: 'x' } }), 'order'), refers: false });
  // Top-level keys in another order.
  const { id, ...rest } = server('top');
  store(forkOf(server('top'), '1-t'));
  list.push({ meta: metaOf({ ...rest, id }, 'top'), refers: false });
  // A field more, a field fewer.
  store(forkOf(server('more'), '1-m'));
  list.push({ meta: metaOf(server('more', { extra: 1 }), 'more'), refers: false });
  const fewer = server('fewer');
  store(forkOf(server('fewer', { extra: 1 }), '1-f'));
  list.push({ meta: metaOf(fewer, 'fewer'), refers: false });
  // An array element differs; a number against its string.
  store(forkOf(server('array'), '1-a'));
  list.push({ meta: metaOf(server('array', { tags: ['a', 'c'] }), 'array'), refers: false });
  store(forkOf(server('number', { count: 1 }), '1-c'));
  list.push({ meta: metaOf(server('number', { count: '1' }), 'number'), refers: false });
  // Undefined in a copy that is not the same object: stays a copy.
  store(forkOf(server('undef', { note: null }), '1-u'));
  list.push({ meta: metaOf(server('undef', { note: undefined }), 'undef'), refers: false });
  // No stored row; a checkpoint row.
  list.push({ meta: metaOf(server('absent'), 'absent'), refers: false });
  list.push({
    meta: { ...metaOf({ id: 'cp', lwt: 1 }, 'cp'), id: 'down|1', isCheckpoint: '1' } as unknown as DocData,
    refers: false,
  });
  return list;
}

function expectExact(masters: AssumedMasters, docs: { meta: DocData; refers: boolean }[]): void {
  const encoded = masters.encodeAll(docs.map((c) => c.meta));
  expect(encoded).toHaveLength(docs.length);
  docs.forEach(({ meta, refers }, i) => {
    const row = encoded[i]!;
    const stored = db.prepare(`SELECT rev FROM ${ENTITY} WHERE id = ?`).pluck().get(meta.itemId) as string | undefined;
    expect({ id: meta.itemId, base: row.base }).toEqual({ id: meta.itemId, base: refers ? stored : null });
    // Read back, the row is the document RxDB wrote, as JSON.
    const back = masters.resolve(JSON.parse(row.data) as DocData, db);
    expect(JSON.stringify(back)).toBe(JSON.stringify(meta));
  });
}

describe('the meta rows of a page are checked against the stored documents together', () => {
  it('a page of many rows: references exactly where the server version is the stored document', () => {
    const masters = new AssumedMasters(db, ENTITY);
    const all = cases();
    expect(all.length).toBeGreaterThan(8);
    expectExact(masters, all);
  });

  it('the same, a few rows at a time (one lookup per row)', () => {
    const masters = new AssumedMasters(db, ENTITY);
    const all = cases();
    for (let i = 0; i < all.length; i += 3) expectExact(masters, all.slice(i, i + 3));
  });

  it('the same document twice in one write is checked alike both times', () => {
    const masters = new AssumedMasters(db, ENTITY);
    const master = server('twice');
    store(forkOf(master, '1-tw'));
    const encoded = masters.encodeAll([metaOf(master, 'twice'), metaOf(server('twice', { name: 'Other' }), 'twice')]);
    expect(encoded.map((row) => row.base)).toEqual(['1-tw', null]);
  });
});
