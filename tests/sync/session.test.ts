import { describe, expect, it } from 'vitest';
import { eventually, expectConverged, inSync, serverSnapshot, useTestTeam } from './harness';

const team = useTestTeam([
  ['alice', 'editor', 'Alice'],
  ['bob', 'editor', 'Bob'],
  ['root', 'admin', 'Root'],
]);
const { users } = team;
const client = () => team.openClient();

describe('signing in and out', () => {
  it('CLIENT-8, ACTOR-4: work done before the first sign-in is pushed, attributed to the signed-in account, audit included', async () => {
    const device = await client();
    const created = await device.call('entities.create', { type: 'dog', fields: { name: 'Local Rex' } });
    expect(created.updatedBy.name).toMatch(/^Local profile/);
    await device.signIn('alice');
    await inSync(device);
    const onServer = await serverSnapshot(team.server, 'root');
    const alice = { id: users.alice!.id, name: 'Alice' };
    expect(onServer.dog![created.id]).toMatchObject({ name: 'Local Rex', updatedBy: alice, createdBy: alice });
    const entries = Object.values(onServer.audit!).filter((entry) => entry.entityId === created.id);
    expect(entries).toEqual([expect.objectContaining({ action: 'create', actor: alice })]);
    // From now on the device writes as Alice.
    const next = await device.call('entities.create', { type: 'dog', fields: { name: 'Synced Rex' } });
    expect(next.updatedBy).toEqual(alice);
  });

  it('PUSH-5, CLIENT-5: rows the server refuses become records holding the typed content, and the entry goes back', async () => {
    const device = await client();
    await device.signIn('alice');
    const person = await device.call('entities.create', {
      type: 'person',
      fields: { name: 'Refused Person', bio: 'Original' },
    });
    await inSync(device);
    await device.proxy.setOnline(false);
    await eventually(() => expect(device.status?.phase).toBe('offline'));
    await device.call('entities.update', {
      type: 'person',
      id: person.id,
      rev: person.rev,
      fields: { bio: 'Typed by Alice' },
    });
    await device.request({ op: 'signOut' }).catch(() => undefined);
    await device.proxy.setOnline(true);
    // Bob signs in on the same device: the server refuses Alice's change pushed under Bob's name.
    await device.signIn('bob');
    await inSync(device);
    const records = await device.call('conflicts.list', { status: 'open' });
    const record = records.items.find(
      (item: { entityId: string; kind: string }) => item.entityId === person.id && item.kind === 'refused',
    );
    expect(record).toBeDefined();
    expect(record.local.bio).toBe('Typed by Alice');
    expect(record.reason).toMatch(/refused/i);
    expect(record.fields).toContain('bio');
    expect((await device.call('entities.get', { type: 'person', id: person.id })).bio).toBe('Original');
    const watcher = await client();
    await watcher.signIn('root');
    await expectConverged(team.server, 'root', [device, watcher]);
    // The admin takes the refused value: nothing typed was lost.
    await watcher.call('conflicts.resolve', { id: record.id, choices: { bio: { source: 'local' } } });
    await expectConverged(team.server, 'root', [device, watcher]);
    expect((await device.call('entities.get', { type: 'person', id: person.id })).bio).toBe('Typed by Alice');
  });

  it('CLIENT-7: a revoked session pauses sync with a clear state; local work goes on and syncs after signing in again', async () => {
    const device = await client();
    await device.signIn('bob');
    await inSync(device);
    const admin = await client();
    await admin.signIn('root');
    const { sessions } = await admin.call('team.sessions');
    const bobSessions = sessions.filter(
      (session: { userId?: string; username?: string }) =>
        session.userId === users.bob!.id || session.username === 'bob',
    );
    expect(bobSessions.length).toBeGreaterThan(0);
    for (const session of bobSessions) await admin.call('team.revokeSession', { id: session.id });
    await eventually(() => expect(device.status?.phase).toBe('paused'));
    expect(device.status?.lastError).toMatch(/sign in again/i);
    const offlineWork = await device.call('entities.create', {
      type: 'series',
      fields: { name: 'Written while paused' },
    });
    await device.signIn('bob');
    await inSync(device);
    await expectConverged(team.server, 'root', [device, admin]);
    expect((await admin.call('entities.get', { type: 'series', id: offlineWork.id })).name).toBe(
      'Written while paused',
    );
  });

  it('CLIENT-7: a session ended by disabling the account says so, not only "sign in again", which would be refused', async () => {
    const device = await client();
    await device.signIn('alice');
    await inSync(device);
    const admin = await client();
    await admin.signIn('root');
    await admin.call('team.updateUser', { id: users.alice!.id, disabled: true });
    // The next write asks the server, whose refresh answers why the session is over.
    await device.call('entities.create', { type: 'series', fields: { name: 'Written after the disable' } });
    await eventually(() => expect(device.status?.phase).toBe('paused'));
    expect(device.status?.lastError).toBe(
      'An admin disabled your account, which ended this session; ask an admin to enable it, then sign in again. Your local work is kept.',
    );
    expect(device.status?.notSentReason).toBe(
      'an admin disabled your account, which ended this session; ask an admin to enable it, then sign in again',
    );
    await admin.call('team.updateUser', { id: users.alice!.id, disabled: false });
  });

  it('the team router is for admins only', async () => {
    const device = await client();
    await device.signIn('bob');
    await expect(device.call('team.users')).rejects.toMatchObject({ message: expect.stringMatching(/admin/) });
    const admin = await client();
    await admin.signIn('root');
    const { users: listed } = await admin.call('team.users');
    expect(listed.map((user: { username: string }) => user.username)).toEqual(
      expect.arrayContaining(['alice', 'bob', 'root']),
    );
  });

  it('a wrong password is refused with the server message and leaves the device signed out', async () => {
    const device = await client();
    await expect(
      device.request({
        op: 'signIn',
        credentials: { serverUrl: device.proxy.url, username: 'bob', password: 'wrong-password-123' },
      }),
    ).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
    expect(device.status?.phase).toBe('signed-out');
  });
});
