import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { Role } from '../../shared/protocol';
import { ClientError } from './client-process';
import {
  eventually,
  inSync,
  serverSnapshot,
  type TestClient,
  useTestTeam,
  setRole as setRoleOnServer,
} from './harness';

/** Issue 11, point 4: a user demoted on the server learns it within seconds, and nothing typed is lost. */
// Access tokens live an hour: only the server's notice (or a refused push) can tell the client.
const team = useTestTeam([['root', 'admin', 'Root']], { accessTokenTtlSeconds: 3600 });

const setRole = (userId: string, role: Role) => setRoleOnServer(team.server, 'root', userId, role);

async function editorClient(username: string): Promise<{ client: TestClient; userId: string }> {
  const user = await team.server.addUser(username, 'editor', username);
  return { client: await team.signedIn(username), userId: user.id };
}

describe('a role changed on the server', { timeout: 120_000 }, () => {
  it('STREAM-6, CLIENT-10: an online editor set to viewer is told at once and the core stops writing', async () => {
    const { client, userId } = await editorClient('eddie');
    await setRole(userId, 'viewer');
    await eventually(() => expect(client.status?.user?.role).toBe('viewer'));
    const refused = await client
      .call('entities.create', { type: 'dog', fields: { name: 'Too late' } })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ClientError);
    expect((refused as ClientError).code).toBe('FORBIDDEN');
    expect((refused as ClientError).message).toMatch(/viewer/);
    // Back to editor: writing works again, and it syncs.
    await setRole(userId, 'editor');
    await eventually(() => expect(client.status?.user?.role).toBe('editor'));
    await client.call('entities.create', { type: 'dog', fields: { name: 'Editor again' } });
    await inSync(client);
  });

  it('CLIENT-10: a viewer who signs out and in again once an editor sends the changes the viewer kept', async () => {
    const { client, userId } = await editorClient('vic');
    await client.proxy.setOnline(false);
    await eventually(() => expect(client.status?.phase).toBe('offline'));
    // A dog: the series are the next test's to count.
    const made = await client.call('entities.create', { type: 'dog', fields: { name: 'Made offline' } });
    await setRole(userId, 'viewer');
    await client.proxy.setOnline(true);
    await eventually(() => expect(client.status).toMatchObject({ notSentReason: 'your role is now viewer' }));
    // The pull-only run has read the waiting change and moved its push checkpoint past it.
    await client.request({ op: 'awaitInSync' });
    await client.request({ op: 'signOut' });
    await setRole(userId, 'editor');
    await client.signIn('vic');
    await inSync(client);
    const onServer = await serverSnapshot(team.server, 'root');
    expect(onServer.dog![made.id]).toMatchObject({ name: 'Made offline' });
  });

  it('CLIENT-10, CLIENT-11: changes made before the notice are "not sent" with the reason; export, then discard (audited)', async () => {
    const { client, userId } = await editorClient('ellen');
    const kept = await client.call('entities.create', { type: 'series', fields: { name: 'On the server' } });
    await inSync(client);
    // Offline, Ellen trashes one entry and creates another; meanwhile an admin makes her a viewer.
    await client.proxy.setOnline(false);
    await eventually(() => expect(client.status?.phase).toBe('offline'));
    await client.call('trash.trash', { items: [{ type: 'series', id: kept.id }] });
    await client.call('entities.create', { type: 'series', fields: { name: 'Never sent' } });
    await setRole(userId, 'viewer');
    await client.proxy.setOnline(true);
    await eventually(() =>
      expect(client.status).toMatchObject({ pending: 2, notSentReason: 'your role is now viewer' }),
    );
    const waiting = await client.call('sync.waiting');
    expect(waiting).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: kept.id, title: 'On the server', kind: 'trashed' }),
        expect.objectContaining({ title: 'Never sent', kind: 'new' }),
      ]),
    );
    const exported = await client.call('sync.exportWaiting');
    const file = JSON.parse(await readFile(exported.filePath, 'utf8'));
    expect(file.entries.map((entry: { title: string }) => entry.title).sort()).toEqual(['Never sent', 'On the server']);
    // The server never got them.
    const onServer = await serverSnapshot(team.server, 'root');
    expect(onServer.series![kept.id]!.deletedAt).toBeNull();

    expect(await client.call('sync.discardWaiting', { entries: await client.call('sync.waiting') })).toEqual({
      discarded: 2,
    });
    await eventually(() => expect(client.status).toMatchObject({ pending: 0, notSentReason: null }));
    const back = await client.call('entities.get', { type: 'series', id: kept.id });
    expect(back.deletedAt).toBeNull();
    const names = (await client.call('entities.list', { type: 'series' })).items.map((s: { name: string }) => s.name);
    expect(names).toEqual(['On the server']);
    const audit = await client.call('audit.query', { entityId: kept.id });
    expect(audit.items[0]).toMatchObject({
      action: 'update',
      changes: [expect.objectContaining({ field: 'deletedAt' })],
    });
  });
});
