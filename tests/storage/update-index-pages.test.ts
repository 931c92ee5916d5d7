/**
 * Issue 16 (local save): an update writes only the index columns whose value changes. SQLite rewrites
 * the entry of every index whose column an UPDATE sets, even to the same value, and each such entry
 * costs its page in the WAL; an edit of one field must leave the pages of the other indexes alone.
 * Queries over every index must still answer exactly after updates that change some of them.
 */
import { readFileSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseFilePath, getRxStorageSqlite } from '../../main/storage';
import { withBinding } from '../../main/storage/native-binding';
import { createInstance, doc, nextRevision, prepared, tempDirectory, type Doc, type Instance } from './helpers';

const WAL_FRAME_HEADER = 24;

/** The SQL index names of the table's index columns, by the declared index (fields joined by commas). */
function indexNames(db: Database.Database): Map<string, string> {
  const { table_name: table, indexes } = db.prepare('SELECT table_name, indexes FROM curio_collections').get() as {
    table_name: string;
    indexes: string;
  };
  return new Map((JSON.parse(indexes) as string[]).map((key, position) => [key, `${table}_ix${position}`]));
}

/** What one write put into the WAL: the names of the b-trees (tables, indexes) whose pages it wrote. */
async function btreesWrittenBy(directory: string, write: () => Promise<unknown>) {
  const file = databaseFilePath(directory, 'profile');
  const walSize = () => statSync(`${file}-wal`).size;
  const before = walSize();
  await write();
  const frames = readFileSync(`${file}-wal`).subarray(before);
  const db = new Database(file, { ...withBinding(), readonly: true });
  try {
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const owner = new Map<number, string>();
    for (const row of db.prepare('SELECT name, pageno FROM dbstat').all() as { name: string; pageno: number }[])
      owner.set(row.pageno, row.name);
    const written = new Set<string>();
    for (let offset = 0; offset + WAL_FRAME_HEADER <= frames.length; offset += WAL_FRAME_HEADER + pageSize)
      written.add(owner.get(frames.readUInt32BE(offset)) ?? 'unknown');
    return { written, indexes: indexNames(db) };
  } finally {
    db.close();
  }
}

async function ids(instance: Instance, sort: object[], selector: object = {}): Promise<string[]> {
  const result = await instance.query(prepared({ selector: { _deleted: false, ...selector }, sort } as never));
  return result.documents.map((d) => d.id);
}

describe('sqlite storage: an update writes the index columns that change', () => {
  let temp: ReturnType<typeof tempDirectory>;
  let instance: Instance;
  let docs: Doc[];
  beforeEach(async () => {
    temp = tempDirectory();
    instance = await createInstance(getRxStorageSqlite({ directory: temp.directory }), 'profile');
    docs = Array.from({ length: 300 }, (_, i) =>
      doc({
        id: `doc-${String(i).padStart(3, '0')}`,
        name: `name ${String((i * 7) % 300).padStart(3, '0')}`,
        age: (i * 37) % 150,
        score: (i * 13) % 100,
        deletedAt: i % 5 === 0 ? '2026-02-01' : null,
        nested: { label: `l${i % 9}` },
      }),
    );
    expect(
      (
        await instance.bulkWrite(
          docs.map((document) => ({ document })),
          'test',
        )
      ).error,
    ).toEqual([]);
  });
  afterEach(async () => {
    await instance.close();
    temp.cleanup();
  });

  async function update(id: string, change: Partial<Doc>): Promise<void> {
    const index = docs.findIndex((d) => d.id === id);
    const previous = docs[index]!;
    const document = nextRevision(previous, change);
    expect((await instance.bulkWrite([{ previous, document }], 'test')).error).toEqual([]);
    docs[index] = document;
  }

  it('an edit of the name writes the name indexes and leaves the others untouched', async () => {
    const { written, indexes } = await btreesWrittenBy(temp.directory, () =>
      update('doc-150', { name: 'renamed entirely' }),
    );
    const index = (key: string) => indexes.get(key)!;
    // Changed: the name, (deletedAt, name) and the last-write time.
    expect(written).toContain(index('_deleted,name,id'));
    expect(written).toContain(index('_deleted,deletedAt,name,id'));
    expect(written).toContain(index('_meta.lwt,id'));
    // Unchanged: their pages stay out of the WAL.
    for (const key of ['_deleted,age,id', '_deleted,deletedAt,age,id', '_deleted,nested.label,id', '_deleted,score,id'])
      expect(written, key).not.toContain(index(key));
  });

  it('answers exactly over every index after updates that change some of them', async () => {
    await update('doc-001', { name: 'aaa first' });
    await update('doc-002', { age: 149 });
    await update('doc-003', { deletedAt: '2026-03-01' });
    await update('doc-005', { deletedAt: null, nested: { label: 'zz' } });
    await update('doc-006', { score: 0.5, name: 'zzz last' });
    await update('doc-007', {});
    await update('doc-008', { _deleted: true });
    const live = docs.filter((d) => !d._deleted);
    const sorted = (key: (d: Doc) => string | number, keep: (d: Doc) => boolean = () => true) =>
      live
        .filter(keep)
        .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.id < b.id ? -1 : 1))
        .map((d) => d.id);
    expect(await ids(instance, [{ name: 'asc' }, { id: 'asc' }])).toEqual(sorted((d) => d.name));
    expect(await ids(instance, [{ age: 'asc' }, { id: 'asc' }])).toEqual(sorted((d) => d.age));
    expect(await ids(instance, [{ score: 'asc' }, { id: 'asc' }])).toEqual(sorted((d) => d.score ?? -1));
    expect(await ids(instance, [{ name: 'asc' }, { id: 'asc' }], { deletedAt: null })).toEqual(
      sorted(
        (d) => d.name,
        (d) => d.deletedAt === null,
      ),
    );
    expect(await ids(instance, [{ age: 'asc' }, { id: 'asc' }], { deletedAt: { $gt: '' } })).toEqual(
      sorted(
        (d) => d.age,
        (d) => d.deletedAt !== null,
      ),
    );
    expect(await ids(instance, [{ id: 'asc' }], { 'nested.label': 'zz' })).toEqual(['doc-005']);
    const stored = await instance.findDocumentsById(['doc-006', 'doc-008'], true);
    expect(stored.find((d) => d.id === 'doc-006')).toMatchObject({ name: 'zzz last', score: 0.5 });
    expect(stored.find((d) => d.id === 'doc-008')?._deleted).toBe(true);
  });
});
