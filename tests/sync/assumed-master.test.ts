import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metaRowInFile, type MetaRowInFile } from '../storage/helpers';
import { eventually, openTestClient, startTestServer, type TestClient, type TestServer } from './harness';

/*
 * The server's version of a pulled document is kept once (main/storage/assumed-masters.ts): RxDB's meta row
 * refers to the stored document until a local write changes it, and then holds the version as it was, the
 * base of the three-way merge (CLIENT-2).
 */

let server: TestServer;
let alice: TestClient;
let bob: TestClient;

beforeAll(async () => {
  server = await startTestServer();
  await server.addUser('alice', 'editor', 'Alice');
  await server.addUser('bob', 'editor', 'Bob');
  [alice, bob] = await Promise.all([openTestClient(server), openTestClient(server)]);
  await Promise.all([alice.signIn('alice'), bob.signIn('bob')]);
});

afterAll(async () => {
  await Promise.all([alice, bob].map((client) => client?.dispose()));
  await server?.close();
});

/** The replication meta row of a person in a client's catalog file. */
function personMetaRow(client: TestClient, id: string): MetaRowInFile | undefined {
  const file = readdirSync(client.dataDir).find((name) => /\.curio\.sqlite$/.test(name) && !name.includes('-local'));
  return metaRowInFile(join(client.dataDir, file!), id, 'c_person_v%');
}

async function offline(client: TestClient) {
  await client.proxy.setOnline(false);
  await eventually(() => expect(client.status?.phase).toBe('offline'));
}

async function online(client: TestClient) {
  await client.proxy.setOnline(true);
  await eventually(() => expect(client.status).toMatchObject({ phase: 'in-sync', pending: 0 }));
}

describe('the server version of a pulled document is kept once', () => {
  it('a pulled document leaves no copy in the meta table: the row refers to the stored revision', async () => {
    const bio = 'A long biography. '.repeat(40);
    const person = await alice.call('entities.create', { type: 'person', fields: { name: 'Ada Lovelace', bio } });
    const row = await eventually(() => {
      const found = personMetaRow(bob, person.id);
      expect(found?.base_rev).toBeTruthy();
      return found!;
    });
    expect(row.base_rev).toBe(row.entityRev);
    const meta = JSON.parse(row.data) as { docData: unknown };
    expect(meta.docData).toBe(row.entityRev);
    expect(row.data).not.toContain('A long biography');
    expect(row.data.length).toBeLessThan(bio.length);
  });

  it('CLIENT-2: after an offline edit of a pulled document, the merge takes the pulled version as its base', async () => {
    const person = await alice.call('entities.create', {
      type: 'person',
      fields: { name: 'Grace Hopper', bio: 'Admiral', aliases: ['Amazing Grace', 'Grandma COBOL'] },
    });
    const pulled = await eventually(async () => {
      const found = await bob.call('entities.get', { type: 'person', id: person.id });
      expect(found.rev).toBe(person.rev);
      return found;
    });
    await eventually(() => expect(personMetaRow(bob, person.id)?.base_rev).toBeTruthy());

    await offline(bob);
    await bob.call('entities.update', {
      type: 'person',
      id: person.id,
      rev: pulled.rev,
      fields: { bio: 'Rear admiral', aliases: ['Amazing Grace', 'Grandma COBOL', 'Queen of Code'] },
    });
    // The local write put the pulled version into the meta row before replacing it.
    const kept = personMetaRow(bob, person.id)!;
    expect(kept.base_rev).toBeNull();
    const base = (JSON.parse(kept.data) as { docData: Record<string, unknown> }).docData;
    expect(base).toMatchObject({ rev: person.rev, bio: 'Admiral', aliases: ['Amazing Grace', 'Grandma COBOL'] });

    // A teammate changes other fields of the same entry meanwhile, and drops an alias.
    await alice.call('entities.update', {
      type: 'person',
      id: person.id,
      rev: person.rev,
      fields: { name: 'Grace Brewster Hopper', aliases: ['Amazing Grace'] },
    });
    await online(bob);

    // Against the pulled version: each side's own change survives and the dropped alias stays dropped.
    // A wrong base (the local edit, or the teammate's version) loses one of them.
    const merged = await bob.call('entities.get', { type: 'person', id: person.id });
    expect(merged).toMatchObject({
      name: 'Grace Brewster Hopper',
      bio: 'Rear admiral',
      aliases: ['Amazing Grace', 'Queen of Code'],
    });
    await eventually(async () =>
      expect(await alice.call('entities.get', { type: 'person', id: person.id })).toMatchObject({
        name: 'Grace Brewster Hopper',
        bio: 'Rear admiral',
        aliases: ['Amazing Grace', 'Queen of Code'],
        rev: merged.rev,
      }),
    );
  });
});
