/**
 * Names looked up ignoring case (unique names, namesakes, links named by title in an import) read the
 * entries of that name through a column of their own (shared/entities/folded-names.ts), not every entry
 * whose name starts alike: a team with hundreds of "Anna …" paid for all of them on each save of one.
 * The storage writes the column only when the folded name changes, so an edit of anything else writes no
 * page of its index (issue 16, local save); a profile of an earlier release, which looked names up through
 * an SQL expression index over the stored JSON, gets the column at its next open.
 */
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DocumentData } from '../../main/database';
import { profileDatabaseFiles } from '../../main/recovery/profile-files';
import { FORMAT_VERSION } from '../../main/storage/sqlite-file';
import { ownersOfOneSave } from '../bench/bare-commit';
import { rewriteAsExpressionIndexRelease } from './earlier-release';
import { openTestCore, type TestCore } from './helpers';

let core: TestCore;
beforeEach(async () => {
  core = await openTestCore();
});
afterEach(async () => {
  await core.dispose();
});

const NAME_KEY = 'folded:name';

/** The person table, and the indexes its names are looked up through: the column's, or an earlier release's. */
function nameIndexes(db: Database.Database): { table: string; column: string | undefined; names: string[] } {
  const row = db.prepare("SELECT table_name, indexes FROM curio_collections WHERE collection = 'person'").get() as {
    table_name: string;
    indexes: string;
  };
  const position = (JSON.parse(row.indexes) as string[]).indexOf(NAME_KEY);
  const column = position < 0 ? undefined : `ix${position}`;
  const names = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND (name = ? OR name = ?)")
    .pluck()
    .all(`${row.table_name}_${column}`, `${row.table_name}__name_folded`) as string[];
  return { table: row.table_name, column, names };
}

/** Documents the person collection's storage hands out while `run` runs: what a lookup costs. */
async function documentsReadDuring(run: () => Promise<unknown>): Promise<number> {
  const storage = core.context.database.entities.person.storageInstance;
  let read = 0;
  const query = storage.query.bind(storage);
  const byId = storage.findDocumentsById.bind(storage);
  storage.query = async (...args) => {
    const result = await query(...args);
    read += result.documents.length;
    return result;
  };
  storage.findDocumentsById = async (...args) => {
    const result = await byId(...args);
    read += result.length;
    return result;
  };
  try {
    await run();
  } finally {
    storage.query = query;
    storage.findDocumentsById = byId;
  }
  return read;
}

const createPerson = (name: string) => core.call.entities.create({ type: 'person', fields: { name } });

describe('names looked up ignoring case', () => {
  it('read only the entries of that name, however many names start alike', async () => {
    await core.context.database.entities.person.bulkInsert(
      Array.from({ length: 300 }, (_, i) => ({
        ...({ id: `0190a1b2-0000-7000-8000-${String(i).padStart(12, '0')}` } as DocumentData),
        rev: `rev-${i}`,
        createdAt: '2026-12-01T10:00:00.000Z',
        createdBy: { id: 'bob', name: 'Bob' },
        updatedAt: '2026-12-01T10:00:00.000Z',
        updatedBy: { id: 'bob', name: 'Bob' },
        deletedAt: null,
        deletedBy: null,
        name: `Anna Person ${i}`,
        aliases: [],
      })) as never,
    );
    // A new name: nothing of that name to read (the save itself reads what it writes, nothing more).
    expect(await documentsReadDuring(() => createPerson('Anna Person 1000'))).toBeLessThanOrEqual(2);
    // A taken name in other case: refused, after reading that one entry.
    let refused: unknown;
    const read = await documentsReadDuring(() => createPerson('ANNA PERSON 7').catch((error) => (refused = error)));
    expect(String(refused)).toContain('A person named "Anna Person 7" already exists');
    expect(read).toBeLessThanOrEqual(2);
  });

  it('fold letters beyond A-Z as JavaScript does, and refuse them as taken', async () => {
    await createPerson('Émile Zoë Ærø');
    for (const other of ['émile zoë ærø', 'ÉMILE ZOË ÆRØ', 'Émile ZOË ærø']) {
      await expect(createPerson(other)).rejects.toThrow('A person named "Émile Zoë Ærø" already exists');
    }
    await createPerson('Zoë Émile');
    await expect(createPerson('zoË émile')).rejects.toThrow('already exists');
    // Not the same name ignoring case: saved.
    await createPerson('Émile Zoe Ærø');
    await createPerson('Straße');
    await createPerson('STRASSE');
  });

  it('skip entries in the trash', async () => {
    const rex = await createPerson('Rex Keeper');
    await core.call.trash.trash({ items: [{ type: 'person', id: rex.id }] });
    const second = await createPerson('rex keeper');
    expect((second as { name: string }).name).toBe('rex keeper');
    await expect(createPerson('REX KEEPER')).rejects.toThrow('A person named "rex keeper" already exists');
  });
});

describe('the column names are looked up through', () => {
  it('is written by a rename, and not by an edit that leaves the name and the trash state alone', async () => {
    let person = (await createPerson('Harbour Keeper')) as { id: string; rev: string };
    await createPerson('Falls Keeper');
    const catalog = (await profileDatabaseFiles(core.dataDir)).catalog;
    const db = new Database(catalog, { readonly: true });
    try {
      const { table, names } = nameIndexes(db);
      expect(names).toHaveLength(1);
      /** What one edit's commit wrote, by table or index. */
      const written = (fields: (attempt: number) => Record<string, unknown>) =>
        ownersOfOneSave(catalog, db, async (attempt) => {
          person = (await core.call.entities.update({
            type: 'person',
            id: person.id,
            rev: person.rev,
            fields: fields(attempt),
          } as never)) as { id: string; rev: string };
        });

      const bioEdit = await written((attempt) => ({ bio: `Keeps the harbour, year ${attempt}` }));
      expect(bioEdit.has(table)).toBe(true);
      expect(names.filter((name) => bioEdit.has(name))).toEqual([]);

      const rename = await written((attempt) => ({ name: `Harbour Keeper ${attempt}` }));
      expect(names.filter((name) => rename.has(name))).toEqual(names);
    } finally {
      db.close();
    }
    await expect(createPerson('harbour keeper 0')).rejects.toThrow('A person named "Harbour Keeper 0" already exists');
    await createPerson('Harbour Keeper');
  });

  it('finds a name whatever case its letters are typed in, signs with a case form of their own too', async () => {
    // The Kelvin sign folds to k: SQLite's lower() left it, and the name was missed typed with a k.
    await createPerson('\u212Aelvin Ångström');
    await expect(createPerson('kelvin ångström')).rejects.toThrow('already exists');
    await expect(createPerson('KELVIN ÅNGSTRÖM')).rejects.toThrow('already exists');
  });

  it('a profile of an earlier release gets the column at its next open and loses the expression index', async () => {
    const anna = (await createPerson('Anna Keeper')) as { id: string };
    await createPerson('Émile Ærø');
    const trashed = (await createPerson('Old Keeper')) as { id: string };
    await core.call.trash.trash({ items: [{ type: 'person', id: trashed.id }] });
    await core.close();
    const dataDir = core.dataDir;
    const catalog = (await profileDatabaseFiles(dataDir)).catalog;
    // As the release before made it: names looked up through an expression index, file format 4.
    rewriteAsExpressionIndexRelease(catalog, {
      collection: 'person',
      key: NAME_KEY,
      indexName: 'name_folded',
      indexOn: `lower(json_extract(data, '$.name'))`,
      version: 4,
    });
    const earlier = new Database(catalog, { readonly: true });
    const before = nameIndexes(earlier);
    expect(before.column).toBeUndefined();
    expect(before.names).toEqual([`${before.table}__name_folded`]);
    earlier.close();

    core = await openTestCore({ dataDir });
    const db = new Database(catalog, { readonly: true });
    try {
      const { table, column, names } = nameIndexes(db);
      expect(names).toEqual([`${table}_${column}`]);
      const folded = db.prepare(`SELECT id, ${column} FROM "${table}" ORDER BY ${column}`).raw().all();
      expect(folded).toEqual([
        [trashed.id, '!'],
        [anna.id, '=anna keeper'],
        [expect.any(String), '=émile ærø'],
      ]);
      expect(db.prepare("SELECT count(*) FROM curio_deferred_indexes WHERE name LIKE '%folded%'").pluck().get()).toBe(
        0,
      );
      expect(db.pragma('user_version', { simple: true })).toBe(FORMAT_VERSION);
    } finally {
      db.close();
    }
    await expect(createPerson('ANNA KEEPER')).rejects.toThrow('A person named "Anna Keeper" already exists');
    await expect(createPerson('ÉMILE ÆRØ')).rejects.toThrow('already exists');
    await createPerson('old keeper');
  });
});
