/**
 * Names looked up ignoring case (unique names, namesakes, links named by title in an import) read the
 * entries of that name through an index of their own (main/services/folded-names.ts), not every entry
 * whose name starts alike: a team with hundreds of "Anna …" paid for all of them on each save of one.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DocumentData } from '../../main/database';
import { openTestCore, type TestCore } from './helpers';

let core: TestCore;
beforeEach(async () => {
  core = await openTestCore();
});
afterEach(async () => {
  await core.dispose();
});

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
