/**
 * The index columns hold a compact encoding (index format 2, main/storage/index-string.ts) instead of
 * RxDB's padded index strings: ranges and order must still be exactly what RxDB's matcher and sort
 * comparator say, and a profile written in format 1 must be rebuilt when it is opened.
 */
import Database from 'better-sqlite3';
import { getIndexMeta } from 'rxdb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseFilePath, getRxStorageSqlite } from '../../main/storage';
import { withBinding } from '../../main/storage/native-binding';
import { createInstance, doc, prepared, tempDirectory, testSchema, type Doc, type Instance } from './helpers';

/** Names whose order a padded or terminated encoding can get wrong: prefixes, low characters, emoji. */
const NAMES = ['', 'a', 'a\x00', 'a\x01', 'a\x02', 'a\x03', 'a\tb', 'a b', 'ab', 'a\x00b', 'b', '😀', '\uffef', 'z'];
const DELETED_AT = '2026-02-01T00:00:00.000Z';

/** The documents: every name twice (live and in the trash), ages spread, some without a score. */
function documents(): Doc[] {
  return NAMES.flatMap((name, i) => [
    doc({ id: `live-${String(i).padStart(2, '0')}`, name, age: i * 7, score: i % 3 === 0 ? undefined : i }),
    doc({ id: `trash-${String(i).padStart(2, '0')}`, name, age: 100 - i, deletedAt: DELETED_AT }),
  ]);
}

/** JavaScript's order of UTF-16 strings, which RxDB's sort comparator uses. */
const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** As RxQuery asks: tombstones are not documents, so every selector pins `_deleted`, the first index field. */
const LIVE_ROWS = { _deleted: false };

async function names(instance: Instance, selector: object, direction: 'asc' | 'desc' = 'asc'): Promise<string[]> {
  const query = prepared({
    selector: { ...LIVE_ROWS, ...selector },
    sort: [{ name: direction }, { id: direction }],
  } as never);
  return (await instance.query(query)).documents.map((d) => d.id);
}

function expected(docs: Doc[], keep: (d: Doc) => boolean, direction: 'asc' | 'desc' = 'asc'): string[] {
  const sorted = docs.filter(keep).sort((a, b) => byCodeUnits(a.name, b.name) || byCodeUnits(a.id, b.id));
  if (direction === 'desc') sorted.reverse();
  return sorted.map((d) => d.id);
}

/** The checks every case below runs: live and trash ranges by name, open and closed ranges, counts. */
async function expectExactAnswers(instance: Instance, docs: Doc[]): Promise<void> {
  const live = (d: Doc) => d.deletedAt === null;
  expect(await names(instance, { deletedAt: null })).toEqual(expected(docs, live));
  expect(await names(instance, { deletedAt: null }, 'desc')).toEqual(expected(docs, live, 'desc'));
  expect(await names(instance, { deletedAt: { $gt: '' } })).toEqual(expected(docs, (d) => !live(d)));
  expect(await names(instance, { name: { $gt: 'a' } })).toEqual(expected(docs, (d) => d.name > 'a'));
  expect(await names(instance, { name: { $gte: 'a', $lt: 'ab' } })).toEqual(
    expected(docs, (d) => d.name >= 'a' && d.name < 'ab'),
  );
  expect(await names(instance, { name: { $lte: 'a\x02' } })).toEqual(expected(docs, (d) => d.name <= 'a\x02'));
  expect(await names(instance, { name: '' })).toEqual(expected(docs, (d) => d.name === ''));
  const young = prepared({
    selector: { ...LIVE_ROWS, deletedAt: null, age: { $lt: 30 } },
    sort: [{ age: 'asc' }, { id: 'asc' }],
  });
  expect((await instance.query(young)).documents.map((d) => d.id)).toEqual(
    docs
      .filter((d) => live(d) && d.age < 30)
      .sort((a, b) => a.age - b.age || byCodeUnits(a.id, b.id))
      .map((d) => d.id),
  );
  const unscored = prepared({ selector: { ...LIVE_ROWS, score: null }, sort: [{ id: 'asc' }] } as never);
  expect((await instance.query(unscored)).documents.map((d) => d.id)).toEqual(
    docs
      .filter((d) => d.score === undefined)
      .map((d) => d.id)
      .sort(byCodeUnits),
  );
  expect((await instance.count(prepared({ selector: { ...LIVE_ROWS, deletedAt: null } } as never))).count).toBe(
    NAMES.length,
  );
  const changes = await instance.getChangedDocumentsSince!(1000);
  expect(changes.documents.map((d) => d.id)).toEqual(docs.map((d) => d.id));
}

/**
 * Index format 1 as earlier releases wrote it: RxDB's index string (every string padded to its
 * maxLength), a null or missing value as that many \x01, code units from U+D800 lifted.
 */
function formatOneString(index: string[], document: Doc): string {
  let out = '';
  for (const meta of getIndexMeta(testSchema, index)) {
    const part = meta.getIndexStringPart(document);
    const value = meta.getValue(document);
    out += value === null || value === undefined ? '\x01'.repeat(part.length) : part;
  }
  return out.replace(/[\uD800-\uFFFF]/g, (unit) => String.fromCodePoint(0x10000 + unit.charCodeAt(0) - 0xd800));
}

/** Turns a profile's file back into format 1, as the release before this one left it. */
function rewriteAsFormatOne(filePath: string): void {
  const db = new Database(filePath, withBinding());
  try {
    db.transaction(() => {
      for (const { table_name: table, indexes } of db
        .prepare('SELECT table_name, indexes FROM curio_collections')
        .all() as { table_name: string; indexes: string }[]) {
        const keys = (JSON.parse(indexes) as string[]).map((key) => key.split(','));
        const rows = db.prepare(`SELECT id, data FROM "${table}"`).all() as { id: string; data: string }[];
        for (const row of rows) {
          const document = JSON.parse(row.data) as Doc;
          keys.forEach((index, i) =>
            db.prepare(`UPDATE "${table}" SET ix${i} = ? WHERE id = ?`).run(formatOneString(index, document), row.id),
          );
        }
      }
      db.exec('ALTER TABLE curio_collections DROP COLUMN index_format');
      db.pragma('user_version = 1');
    })();
  } finally {
    db.close();
  }
}

describe('sqlite storage: the index format', () => {
  let temp: ReturnType<typeof tempDirectory>;
  beforeEach(() => {
    temp = tempDirectory();
  });
  afterEach(() => temp.cleanup());

  it('answers ranges and order exactly as RxDB matches and sorts, low characters and emoji included', async () => {
    const instance = await createInstance(getRxStorageSqlite({ directory: temp.directory }), 'profile');
    const docs = documents();
    await instance.bulkWrite(
      docs.map((document) => ({ document })),
      'test',
    );
    await expectExactAnswers(instance, docs);
    await instance.close();
  });

  it('rebuilds the index columns of a profile written in format 1 when it opens', async () => {
    const docs = documents();
    const first = await createInstance(getRxStorageSqlite({ directory: temp.directory }), 'profile');
    await first.bulkWrite(
      docs.map((document) => ({ document })),
      'test',
    );
    await first.close();
    const filePath = databaseFilePath(temp.directory, 'profile');
    rewriteAsFormatOne(filePath);

    const reopened = await createInstance(getRxStorageSqlite({ directory: temp.directory }), 'profile');
    await expectExactAnswers(reopened, docs);
    await reopened.close();
    const db = new Database(filePath, { ...withBinding(), readonly: true });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(6); // the file's format (sqlite-file.ts): 6 since meta rows left out
      expect(db.prepare('SELECT index_format FROM curio_collections').pluck().all()).toEqual([2]);
    } finally {
      db.close();
    }
  });
});
