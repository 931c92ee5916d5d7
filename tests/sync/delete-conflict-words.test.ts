import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conflictReason } from '../../shared/readable';
import { eventually, openTestClient, startTestServer, type TestClient, type TestServer } from './harness';

let server: TestServer;
let bob: TestClient;
let root: TestClient;

beforeAll(async () => {
  server = await startTestServer();
  await server.addUser('bob', 'editor', 'Bob');
  await server.addUser('root', 'admin', 'Root');
  [bob, root] = await Promise.all([openTestClient(server), openTestClient(server)]);
  await Promise.all([bob.signIn('bob'), root.signIn('root')]);
});

afterAll(async () => {
  await Promise.all([bob, root].map((client) => client?.dispose()));
  await server?.close();
});

async function offline(client: TestClient) {
  await client.proxy.setOnline(false);
  await eventually(() => expect(client.status?.phase).toBe('offline'));
}

async function online(client: TestClient) {
  await client.proxy.setOnline(true);
  await eventually(() => expect(client.status).toMatchObject({ phase: 'in-sync', pending: 0 }));
}

async function sharedPerson(name: string) {
  const created = await bob.call('entities.create', { type: 'person', fields: { name, bio: 'Before' } });
  await eventually(async () =>
    expect((await root.call('entities.get', { type: 'person', id: created.id })).rev).toBe(created.rev),
  );
  return created;
}

async function openDeleteConflict(client: TestClient, entityId: string) {
  return eventually(async () => {
    const list = await client.call('conflicts.list', { status: 'open' });
    const found = list.items.find((item: { entityId: string }) => item.entityId === entityId);
    expect(found).toMatchObject({ kind: 'delete' });
    return found;
  });
}

const kept = 'The edit was kept, so the person is still here: delete it permanently after all to confirm';

describe('CLIENT-3: an edit versus a permanent delete says who deleted and who edited', () => {
  it('the delete made here met an edit from the other side: the notice names the deleter here and the editor there', async () => {
    const person = await sharedPerson('Deleted Here');
    await offline(root);
    await root.call('trash.deletePermanently', { items: [{ type: 'person', id: person.id }], confirm: true });
    await bob.call('entities.update', { type: 'person', id: person.id, rev: person.rev, fields: { bio: 'By Bob' } });
    await eventually(() => expect(bob.status).toMatchObject({ phase: 'in-sync', pending: 0 }));
    await online(root);

    // Root's device found the conflict: his delete met Bob's edit, which was kept.
    const record = await openDeleteConflict(root, person.id);
    expect((await root.call('entities.get', { type: 'person', id: person.id })).bio).toBe('By Bob');
    const said =
      'Root deleted this person permanently, but Bob had edited it on another device and that edit reached the ' +
      `server first. ${kept} Root's delete, or resolve to keep the edit.`;
    expect(record.reason).toBe(said);
    expect(conflictReason(record)).toBe(said);
  });

  it('an edit made here met a delete from the other side: the deleter is named from the audit trail', async () => {
    const person = await sharedPerson('Deleted There');
    await offline(bob);
    await bob.call('entities.update', { type: 'person', id: person.id, rev: person.rev, fields: { bio: 'By Bob' } });
    await root.call('trash.deletePermanently', { items: [{ type: 'person', id: person.id }], confirm: true });
    await online(bob);

    // Bob's device found it; the record (and Root's purge entry) replicate to Root's device.
    const record = await openDeleteConflict(root, person.id);
    expect(record.reason).toBe(
      'Bob edited this person while someone deleted it permanently on another device, and the delete reached the ' +
        `server first. ${kept} the delete, or resolve to keep the edit.`,
    );
    const purges = await bob.call('audit.query', { entityId: person.id, action: 'purge' });
    expect(purges.items).toEqual([expect.objectContaining({ actor: expect.objectContaining({ name: 'Root' }) })]);
    expect(conflictReason(record, purges.items[0].actor.name)).toBe(
      'Bob edited this person while Root deleted it permanently on another device, and the delete reached the ' +
        `server first. ${kept} Root's delete, or resolve to keep the edit.`,
    );
  });
});
