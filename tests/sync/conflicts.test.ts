import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conflictIdFor } from '../../shared/conflict';
import {
  eventually,
  expectConverged,
  openTestClient,
  startTestServer,
  type TestClient,
  type TestServer,
} from './harness';

let server: TestServer;
let alice: TestClient;
let bob: TestClient;
let root: TestClient;

beforeAll(async () => {
  server = await startTestServer();
  await server.addUser('alice', 'editor', 'Alice');
  await server.addUser('bob', 'editor', 'Bob');
  await server.addUser('root', 'admin', 'Root');
  [alice, bob, root] = await Promise.all([openTestClient(server), openTestClient(server), openTestClient(server)]);
  await Promise.all([alice.signIn('alice'), bob.signIn('bob'), root.signIn('root')]);
});

afterAll(async () => {
  await Promise.all([alice, bob, root].map((client) => client?.dispose()));
  await server?.close();
});

async function offline(...clients: TestClient[]) {
  for (const client of clients) await client.proxy.setOnline(false);
  for (const client of clients) await eventually(() => expect(client.status?.phase).toBe('offline'));
}

async function online(client: TestClient) {
  await client.proxy.setOnline(true);
  await eventually(async () => {
    const waiting = JSON.stringify(await client.request({ op: 'pendingKeys' }));
    expect(client.status, `still waiting: ${waiting}`).toMatchObject({ phase: 'in-sync', pending: 0 });
  });
}

/** A person everyone has, at the same revision. */
async function sharedPerson(fields: Record<string, unknown>) {
  const created = await alice.call('entities.create', { type: 'person', fields });
  for (const client of [bob, root]) {
    await eventually(async () =>
      expect((await client.call('entities.get', { type: 'person', id: created.id })).rev).toBe(created.rev),
    );
  }
  return created;
}

describe('conflicts between offline edits', () => {
  it('CLIENT-2: one-sided fields merge, lists merge as sets, a contested field takes the server value and is recorded', async () => {
    const person = await sharedPerson({ name: 'Grace Hopper', bio: 'Admiral', aliases: ['Amazing Grace'] });
    await offline(alice, bob);
    const aliceEdit = await alice.call('entities.update', {
      type: 'person',
      id: person.id,
      rev: person.rev,
      fields: { bio: 'Computer scientist', aliases: ['Amazing Grace', 'Grandma COBOL'] },
    });
    const bobEdit = await bob.call('entities.update', {
      type: 'person',
      id: person.id,
      rev: person.rev,
      fields: { bio: 'Rear admiral', aliases: [], photoVisible: false },
    });
    await online(alice);
    await online(bob);

    const merged = await bob.call('entities.get', { type: 'person', id: person.id });
    expect(merged).toMatchObject({ bio: 'Computer scientist', aliases: ['Grandma COBOL'], photoVisible: false });
    expect(merged.updatedBy).toMatchObject({ name: 'Bob' });

    const recordId = conflictIdFor(person.id, bobEdit.rev, aliceEdit.rev);
    const record = await eventually(() => root.call('conflicts.get', { id: recordId }));
    expect(record).toMatchObject({ kind: 'merge', status: 'open', fields: ['bio'], entityTitle: 'Grace Hopper' });
    expect(record.local.bio).toBe('Rear admiral');
    expect(record.server.bio).toBe('Computer scientist');
    expect(record.base.bio).toBe('Admiral');
    await expectConverged(server, 'root', [alice, bob, root]);

    // The admin keeps the local value; an audited write, the record closes everywhere.
    await root.call('conflicts.resolve', { id: recordId, choices: { bio: { source: 'local' } } });
    await expectConverged(server, 'root', [alice, bob, root]);
    const resolved = await alice.call('entities.get', { type: 'person', id: person.id });
    expect(resolved).toMatchObject({ bio: 'Rear admiral', aliases: ['Grandma COBOL'] });
    expect((await alice.call('conflicts.get', { id: recordId })).status).toBe('resolved');
    const audit = await alice.call('audit.query', { entityId: person.id, action: 'conflict.resolve' });
    expect(audit.items).toEqual([
      expect.objectContaining({
        action: 'conflict.resolve',
        actor: expect.objectContaining({ name: 'Root' }),
        changes: [{ field: 'bio', from: 'Computer scientist', to: 'Rear admiral' }],
      }),
    ]);
  });

  it('CLIENT-3, CLIENT-6: an edit against a permanent delete wins, and the delete is recorded for an admin', async () => {
    const person = await sharedPerson({ name: 'Doomed Person', bio: 'Before' });
    await offline(bob);
    await root.call('trash.deletePermanently', { items: [{ type: 'person', id: person.id }], confirm: true });
    const bobEdit = await bob.call('entities.update', {
      type: 'person',
      id: person.id,
      rev: person.rev,
      fields: { bio: 'Edited offline' },
    });
    await online(bob);

    await expectConverged(server, 'root', [alice, bob, root]);
    const survivor = await alice.call('entities.get', { type: 'person', id: person.id });
    expect(survivor.bio).toBe('Edited offline');
    const records = await root.call('conflicts.list', { status: 'open' });
    const record = records.items.find((item: { entityId: string; kind: string }) => item.entityId === person.id);
    expect(record).toMatchObject({ kind: 'delete' });
    expect(record.local.rev).toBe(bobEdit.rev);

    // A confirmation that names a version other than the entry's now (edited since it was asked about)
    // deletes nothing and says who changed it.
    await expect(
      root.call('conflicts.resolve', { id: record.id, deleteEntry: true, rev: person.rev }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/^Bob .*changed this person meanwhile, so nothing was deleted/),
    });
    const asked = await root.call('entities.get', { type: 'person', id: person.id });
    expect(asked.bio).toBe('Edited offline');

    // The admin confirms the delete again: the entry is gone everywhere and the record is closed.
    await root.call('conflicts.resolve', { id: record.id, deleteEntry: true, rev: asked.rev });
    await expectConverged(server, 'root', [alice, bob, root]);
    await expect(alice.call('entities.get', { type: 'person', id: person.id })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('CLIENT-3: an edit against a trash applies both', async () => {
    const person = await sharedPerson({ name: 'Trashed Person', bio: 'Before' });
    await offline(bob);
    await alice.call('trash.trash', { items: [{ type: 'person', id: person.id }] });
    await bob.call('entities.update', {
      type: 'person',
      id: person.id,
      rev: person.rev,
      fields: { bio: 'Edited in the trash' },
    });
    await online(bob);
    await expectConverged(server, 'root', [alice, bob, root]);
    const result = await root.call('entities.get', { type: 'person', id: person.id });
    expect(result).toMatchObject({ bio: 'Edited in the trash', deletedBy: { name: 'Alice' } });
    expect(result.deletedAt).not.toBeNull();
  });

  it('CLIENT-4: dismiss closes a record without changing the entry', async () => {
    const person = await sharedPerson({ name: 'Dismissed Person', bio: 'Base' });
    await offline(alice, bob);
    await alice.call('entities.update', { type: 'person', id: person.id, rev: person.rev, fields: { bio: 'A' } });
    const bobEdit = await bob.call('entities.update', {
      type: 'person',
      id: person.id,
      rev: person.rev,
      fields: { bio: 'B' },
    });
    await online(alice);
    await online(bob);
    const records = await eventually(async () => {
      const list = await root.call('conflicts.list', { status: 'open' });
      const found = list.items.filter((item: { entityId: string }) => item.entityId === person.id);
      expect(found).toHaveLength(1);
      return found;
    });
    expect(records[0].local.rev).toBe(bobEdit.rev);
    await expect(bob.call('conflicts.dismiss', { id: records[0].id })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await root.call('conflicts.dismiss', { id: records[0].id });
    await expectConverged(server, 'root', [alice, bob, root]);
    expect((await bob.call('conflicts.get', { id: records[0].id })).status).toBe('dismissed');
    expect((await bob.call('entities.get', { type: 'person', id: person.id })).bio).toBe('A');
  });

  it('CLIENT-4: a dismissal names the version its question showed; one changed since is refused', async () => {
    const person = await sharedPerson({ name: 'Asked Person', bio: 'Base' });
    await offline(alice, bob);
    await alice.call('entities.update', { type: 'person', id: person.id, rev: person.rev, fields: { bio: 'A' } });
    await bob.call('entities.update', { type: 'person', id: person.id, rev: person.rev, fields: { bio: 'B' } });
    await online(alice);
    await online(bob);
    const record = await eventually(async () => {
      const list = await root.call('conflicts.list', { status: 'open' });
      const found = list.items.find((item: { entityId: string }) => item.entityId === person.id);
      expect(found).toBeDefined();
      return found;
    });
    await expectConverged(server, 'root', [alice, bob, root]);
    const shown = await root.call('entities.get', { type: 'person', id: person.id });
    const later = await alice.call('entities.update', {
      type: 'person',
      id: person.id,
      rev: shown.rev,
      fields: { bio: 'C' },
    });
    await eventually(async () =>
      expect((await root.call('entities.get', { type: 'person', id: person.id })).rev).toBe(later.rev),
    );
    await expect(root.call('conflicts.dismiss', { id: record.id, rev: shown.rev })).rejects.toMatchObject({
      code: 'CONFLICT',
      message:
        'Alice changed this person meanwhile, so the conflict was not dismissed. Look at it again, then dismiss it if you still want to.',
    });
    expect((await root.call('conflicts.get', { id: record.id })).status).toBe('open');
    await root.call('conflicts.dismiss', { id: record.id, rev: later.rev });
    expect((await root.call('conflicts.get', { id: record.id })).status).toBe('dismissed');
    expect((await root.call('entities.get', { type: 'person', id: person.id })).bio).toBe('C');
  });

  it('a typed value is validated like any edit, then written and audited', async () => {
    const person = await sharedPerson({ name: 'Typed Person', bio: 'Base' });
    await offline(alice, bob);
    await alice.call('entities.update', { type: 'person', id: person.id, rev: person.rev, fields: { bio: 'Alpha' } });
    await bob.call('entities.update', { type: 'person', id: person.id, rev: person.rev, fields: { bio: 'Beta' } });
    await online(alice);
    await online(bob);
    const record = await eventually(async () => {
      const list = await root.call('conflicts.list', { status: 'open' });
      const found = list.items.find((item: { entityId: string }) => item.entityId === person.id);
      expect(found).toBeDefined();
      return found;
    });
    const invalid = await root
      .call('conflicts.resolve', { id: record.id, choices: { photoUrl: { source: 'value', value: 'not a url' } } })
      .catch((error: unknown) => error);
    expect(invalid).toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/photo URL/) });
    expect((await root.call('conflicts.get', { id: record.id })).status).toBe('open');

    await root.call('conflicts.resolve', {
      id: record.id,
      choices: { bio: { source: 'value', value: 'Alpha and Beta' }, name: { source: 'server' } },
    });
    await expectConverged(server, 'root', [alice, bob, root]);
    expect(await bob.call('entities.get', { type: 'person', id: person.id })).toMatchObject({
      name: 'Typed Person',
      bio: 'Alpha and Beta',
      updatedBy: { name: 'Root' },
    });
    const audit = await root.call('audit.query', { entityId: person.id, action: 'conflict.resolve' });
    expect(audit.items[0].changes).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'bio', to: 'Alpha and Beta' })]),
    );
    await expect(root.call('conflicts.resolve', { id: record.id })).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});
