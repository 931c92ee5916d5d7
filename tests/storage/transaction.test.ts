import type { RxDatabase } from 'rxdb';
import { v7 as uuidv7 } from 'uuid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getRxStorageSqlite, type RxStorageSqlite } from '../../main/storage';
import { wrappedValidateZodStorage } from '../../shared/rx-zod-validator';
import { generateCatalog } from '../../shared/sample';
import { openCheckedDatabase, tempDirectory, type PersonAndAudit } from './helpers';

function auditEntry(entityId: string) {
  return {
    id: uuidv7(),
    rev: 'r1',
    at: new Date().toISOString(),
    actor: { id: 'u1', name: 'Editor' },
    device: 'laptop',
    action: 'create',
    entityType: 'person',
    entityId,
    entityTitle: 'Someone',
    changes: [],
  };
}

const people = generateCatalog({ video: 0, person: 5, dog: 0, trip: 0, series: 0 }, 7).person;

describe('storage.transaction(): an entity write and its audit entry commit together', () => {
  let temp: ReturnType<typeof tempDirectory>;
  let storage: RxStorageSqlite;
  let db: RxDatabase<PersonAndAudit>;
  let events: string[];

  beforeEach(async () => {
    temp = tempDirectory();
    storage = getRxStorageSqlite({ directory: temp.directory });
    db = await openCheckedDatabase(storage);
    events = [];
    db.person.$.subscribe((event) => events.push(`person:${event.operation}`));
    db.audit.$.subscribe((event) => events.push(`audit:${event.operation}`));
  });
  afterEach(async () => {
    await db.close();
    temp.cleanup();
  });

  it('commits both documents and emits their events after COMMIT', async () => {
    const person = people[0]!;
    const result = await storage.transaction(db.name, async () => {
      await db.person.insert(person);
      await db.audit.insert(auditEntry(person.id));
      expect(events).toEqual([]);
      return 'done';
    });
    expect(result).toBe('done');
    expect(events.sort()).toEqual(['audit:INSERT', 'person:INSERT']);
    expect((await db.person.findOne(person.id).exec())?.toJSON()).toMatchObject({ name: person.name });
    expect(await db.audit.count({ selector: { entityId: person.id } }).exec()).toBe(1);
  });

  it('rolls both back when fn throws: neither document, no events, the error rethrown', async () => {
    const person = people[1]!;
    const failure = new Error('audit failed');
    await expect(
      storage.transaction(db.name, async () => {
        await db.person.insert(person);
        await db.audit.insert(auditEntry(person.id));
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(events).toEqual([]);
    expect(await db.person.findOne(person.id).exec()).toBeNull();
    expect(await db.audit.count().exec()).toBe(0);
    const stored = await db.person.storageInstance.findDocumentsById([person.id], true);
    expect(stored).toEqual([]);
  });

  it('rolls back when a write inside is refused by validation', async () => {
    const person = people[2]!;
    await expect(
      storage.transaction(db.name, async () => {
        await db.person.insert(person);
        await db.audit.insert({ ...auditEntry(person.id), action: 'not-an-action' });
      }),
    ).rejects.toThrow();
    expect(await db.person.findOne(person.id).exec()).toBeNull();
  });

  it('makes a write from outside wait until the transaction ends, and hides uncommitted data', async () => {
    const [inside, outside] = [people[3]!, people[4]!];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const order: string[] = [];
    const transaction = storage.transaction(db.name, async () => {
      await db.person.insert(inside);
      order.push('inside written');
      await gate;
      order.push('transaction ends');
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const outsideWrite = db.person.insert(outside).then(() => order.push('outside written'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Not yet written, and the uncommitted insert is invisible from outside.
    expect(order).toEqual(['inside written']);
    expect(await db.person.storageInstance.findDocumentsById([inside.id], true)).toEqual([]);
    release();
    await Promise.all([transaction, outsideWrite]);
    expect(order).toEqual(['inside written', 'transaction ends', 'outside written']);
    expect(await db.person.count().exec()).toBe(2);
  });

  it('is reachable through the validating wrapper too', async () => {
    const wrapped = wrappedValidateZodStorage({ storage }) as unknown as Partial<RxStorageSqlite>;
    expect(typeof wrapped.transaction).toBe('function');
    await wrapped.transaction!(db.name, async () => {
      await db.audit.insert(auditEntry(people[0]!.id));
    });
    expect(await db.audit.count().exec()).toBe(1);
  });

  it('joins a nested transaction into the outer one', async () => {
    const person = people[0]!;
    await expect(
      storage.transaction(db.name, async () => {
        await storage.transaction(db.name, async () => {
          await db.person.insert(person);
        });
        throw new Error('outer fails');
      }),
    ).rejects.toThrow('outer fails');
    expect(await db.person.findOne(person.id).exec()).toBeNull();
  });

  it('leaves RxDB showing the committed state after a rollback (document cache and live queries)', async () => {
    const person = people[0]!;
    await db.person.insert(person);
    const live: string[][] = [];
    const subscription = db.person.find({ selector: {} }).$.subscribe((docs) => live.push(docs.map((d) => d.name)));
    await expect(
      storage.transaction(db.name, async () => {
        const current = await db.person.findOne(person.id).exec();
        await current!.incrementalPatch({ name: 'Renamed in a failed transaction' });
        await db.person.find({ selector: {} }).exec();
        throw new Error('fails');
      }),
    ).rejects.toThrow('fails');
    expect((await db.person.findOne(person.id).exec())!.name).toBe(person.name);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(live[live.length - 1]).toEqual([person.name]);
    const again = await db.person.findOne(person.id).exec();
    await again!.incrementalPatch({ name: 'Renamed for real' });
    expect((await db.person.findOne(person.id).exec())!.name).toBe('Renamed for real');
    subscription.unsubscribe();
  });
});
