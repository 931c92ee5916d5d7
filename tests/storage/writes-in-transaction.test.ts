import type { RxDatabase, RxDocumentData } from 'rxdb';
import { v7 as uuidv7 } from 'uuid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeInTransaction, type AnyCollection, type DocumentData } from '../../main/database';
import { getRxStorageSqlite, type RxStorageSqlite } from '../../main/storage';
import { generateCatalog } from '../../shared/sample';
import { openCheckedDatabase, tempDirectory, type PersonAndAudit } from './helpers';

type Stored = RxDocumentData<DocumentData>;

const people = generateCatalog({ video: 0, person: 3, dog: 0, trip: 0, series: 0 }, 11).person;

/** The documents a save writes at once inside its transaction (main/database/own-writes.ts), as the core opens the storage. */
describe('writeInTransaction(): a save writes straight into its transaction', () => {
  let temp: ReturnType<typeof tempDirectory>;
  let storage: RxStorageSqlite;
  let db: RxDatabase<PersonAndAudit>;
  let persons: AnyCollection;
  let events: string[];

  beforeEach(async () => {
    temp = tempDirectory();
    storage = getRxStorageSqlite({ directory: temp.directory });
    db = await openCheckedDatabase(storage);
    persons = db.person as unknown as AnyCollection;
    events = [];
    db.person.$.subscribe((event) => events.push(`${event.operation} ${String(event.documentData.name)}`));
  });
  afterEach(async () => {
    await db.close();
    temp.cleanup();
  });

  const storedVersion = async (id: string) =>
    (await persons.storageInstance.findDocumentsById([id], true))[0] as Stored | undefined;

  it('stores a new document and its next version as RxDB would: revision, write time, events at COMMIT', async () => {
    const person = people[0]!;
    await storage.transaction(db.name, async () => {
      writeInTransaction(persons, person);
      // Written, and read back in the transaction; its event waits for COMMIT.
      expect((await storedVersion(person.id))?.name).toBe(person.name);
      expect(events).toEqual([]);
    });
    const first = (await storedVersion(person.id))!;
    expect(first).toMatchObject({ ...person, _deleted: false, _attachments: {}, _rev: `1-${db.token}` });

    await storage.transaction(db.name, async () => {
      writeInTransaction(persons, { ...person, name: 'Renamed', bio: undefined }, first);
    });
    const second = (await storedVersion(person.id))!;
    expect(second._rev).toBe(`2-${db.token}`);
    expect(second._meta.lwt).toBeGreaterThan(first._meta.lwt);
    expect(second.name).toBe('Renamed');
    expect('bio' in second && second.bio !== undefined).toBe(false); // ours are replaced whole
    expect(events).toEqual([`INSERT ${person.name}`, 'UPDATE Renamed']);
    // RxDB's caches follow: a read by id after the save sees it.
    expect((await persons.findOne(person.id).exec())?.get('name')).toBe('Renamed');
    // The replication finds it after the insert's checkpoint, as a change to push.
    const { documents } = await persons.storageInstance.getChangedDocumentsSince!(10, {
      id: person.id,
      lwt: first._meta.lwt,
    });
    expect(documents.map((document) => document.name)).toEqual(['Renamed']);
  });

  it('refuses a version over a revision another write replaced meanwhile (CONFLICT), and keeps that write', async () => {
    const person = people[1]!;
    await storage.transaction(db.name, async () => writeInTransaction(persons, person));
    const read = (await storedVersion(person.id))!;
    await storage.transaction(db.name, async () => writeInTransaction(persons, { ...person, name: 'First' }, read));

    await expect(
      storage.transaction(db.name, async () => writeInTransaction(persons, { ...person, name: 'Second' }, read)),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await storedVersion(person.id))?.name).toBe('First');
  });

  it('refuses a new document whose id the collection holds (CONFLICT), keeps the stored one, and goes on', async () => {
    const person = people[0]!;
    await storage.transaction(db.name, async () => writeInTransaction(persons, person));
    const stored = (await storedVersion(person.id))!;

    const later = people[1]!;
    await expect(
      storage.transaction(db.name, async () => {
        writeInTransaction(persons, { ...person, name: 'Same id again' });
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT', parameters: { writeError: { documentInDb: { name: person.name } } } });
    expect(await storedVersion(person.id)).toEqual(stored);
    // Inside one transaction: the refused insert leaves nothing behind, and the transaction's other writes stand.
    await storage.transaction(db.name, async () => {
      writeInTransaction(persons, later);
      expect(() => writeInTransaction(persons, { ...person, name: 'Same id again' })).toThrow(
        expect.objectContaining({ code: 'CONFLICT' }),
      );
    });
    expect((await storedVersion(later.id))?.name).toBe(later.name);
    expect(await storedVersion(person.id)).toEqual(stored);
    expect(events).toEqual([`INSERT ${person.name}`, `INSERT ${later.name}`]);
  });

  it('refuses a new document over a deleted one of the same id, as RxDB refuses an insert without its previous version', async () => {
    const person = people[2]!;
    await storage.transaction(db.name, async () => writeInTransaction(persons, person));
    await (await persons.findOne(person.id).exec())!.remove();
    const deleted = (await storedVersion(person.id))!;
    expect(deleted._deleted).toBe(true);

    await expect(
      storage.transaction(db.name, async () => writeInTransaction(persons, { ...person, name: 'Back again' })),
    ).rejects.toMatchObject({ code: 'CONFLICT', parameters: { writeError: { documentInDb: { _deleted: true } } } });
    expect(await storedVersion(person.id)).toEqual(deleted);
  });

  it('checks the document with the collection schema, as every write: an invalid one is refused, nothing stored', async () => {
    const person = people[2]!;
    const audit = db.audit as unknown as AnyCollection;
    await expect(
      storage.transaction(db.name, async () => {
        writeInTransaction(persons, person);
        writeInTransaction(audit, { id: uuidv7(), rev: 'r1', action: 'not-an-action', entityId: person.id });
      }),
    ).rejects.toMatchObject({ code: 'VD2' });
    expect(await storedVersion(person.id)).toBeUndefined();
    expect(await db.audit.count().exec()).toBe(0);
    expect(events).toEqual([]);
  });

  it('outside a transaction, refuses with an error that names the way that waits its turn', () => {
    expect(() => writeInTransaction(persons, people[0]!)).toThrow(/outside a transaction.*use bulkWrite/);
  });
});
