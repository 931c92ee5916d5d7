import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  eventually,
  expectConverged,
  openTestClient,
  startTestServer,
  type TestClient,
  type TestServer,
} from './harness';

let server: TestServer;
let clients: TestClient[] = [];

beforeEach(async () => {
  server = await startTestServer();
  await server.addUser('alice', 'editor', 'Alice');
  await server.addUser('bob', 'editor', 'Bob');
  await server.addUser('root', 'admin', 'Root');
  clients = [];
});

afterEach(async () => {
  await Promise.all(clients.map((client) => client.dispose()));
  await server.close();
});

async function client(username: string): Promise<TestClient> {
  const opened = await openTestClient(server);
  clients.push(opened);
  await opened.signIn(username);
  return opened;
}

describe('replication between two clients through the server', () => {
  it('PUSH, STREAM: a create on one client reaches the other live', async () => {
    const [a, b] = await Promise.all([client('alice'), client('bob')]);
    await eventually(() => expect(b.status?.phase).toBe('in-sync'));
    const created = await a.call('entities.create', {
      type: 'person',
      fields: { name: 'Ada Lovelace', aliases: ['Ada'] },
    });
    const seen = await eventually(() => b.call('entities.get', { type: 'person', id: created.id }));
    expect(seen).toMatchObject({ name: 'Ada Lovelace', aliases: ['Ada'], rev: created.rev });
    expect(seen.updatedBy.name).toBe('Alice');
    await expectConverged(server, 'root', [a, b]);
  });

  it('reports in-sync with nothing waiting once a change is pushed', async () => {
    const a = await client('alice');
    await a.call('entities.create', { type: 'series', fields: { name: 'Dog Days' } });
    await eventually(() => expect(a.status).toMatchObject({ phase: 'in-sync', pending: 0 }));
    expect(a.status!.lastSyncAt).not.toBeNull();
    expect(a.status!.user).toMatchObject({ username: 'alice', role: 'editor' });
  });
});
