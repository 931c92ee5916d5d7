import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventually, inSync, useTestTeam, type TestClient } from './harness';

const team = useTestTeam([
  ['eddie', 'editor', 'Eddie'],
  ['bob', 'editor', 'Bob'],
  ['root', 'admin', 'Root'],
]);

/** Eddie's live sessions as Team ▸ Sessions lists them to an admin. */
async function eddieSessions(admin: TestClient): Promise<string[]> {
  const { sessions } = await admin.call('team.sessions');
  return sessions
    .filter((session: { username: string | null }) => session.username === 'eddie')
    .map((session: { id: string }) => session.id);
}

/** Eddie signed in on a device of their own, and the one session the server lists for it. */
async function eddieSignedIn(admin: TestClient): Promise<{ device: TestClient; session: string }> {
  const before = await eddieSessions(admin);
  const device = await team.signedIn('eddie');
  const [session, ...more] = (await eddieSessions(admin)).filter((id) => !before.includes(id));
  expect(more).toEqual([]);
  return { device, session: session! };
}

/** Eddie signs out while the server cannot be reached; the server still lists the session. */
async function signOutOffline(device: TestClient, admin: TestClient, session: string): Promise<void> {
  await device.proxy.setOnline(false);
  await device.request({ op: 'signOut' });
  expect(device.status?.phase).toBe('signed-out');
  expect(await eddieSessions(admin)).toContain(session);
}

describe('CLIENT-19: a sign-out that could not reach the server is sent when it can', { timeout: 90_000 }, () => {
  it('kept through a restart of the app, it revokes the old session at the next sign-in: one session is listed', async () => {
    const admin = await team.signedIn('root');
    const { device, session } = await eddieSignedIn(admin);
    const elsewhere = (await eddieSessions(admin)).filter((id) => id !== session);
    await signOutOffline(device, admin, session);

    // The app is closed and opened again on the same folder, still offline: the sign-out is not lost.
    const { dataDir } = device;
    await device.dispose({ keepData: true, keepProxy: true });
    const reopened = await team.openClient({ dataDir, proxy: device.proxy });
    expect(reopened.status?.phase).toBe('signed-out');
    expect(await eddieSessions(admin)).toContain(session);

    // Back online, Eddie signs in again: the old session ends and only the new one is listed.
    await reopened.proxy.setOnline(true);
    await reopened.signIn('eddie');
    await inSync(reopened);
    await eventually(async () => {
      const listed = await eddieSessions(admin);
      expect(listed).not.toContain(session);
      expect(listed.filter((id) => !elsewhere.includes(id))).toHaveLength(1);
    });
  });

  it('sent by itself once the server answers again, with nobody signing in; then forgotten', async () => {
    const admin = await team.signedIn('root');
    const { device, session } = await eddieSignedIn(admin);
    await signOutOffline(device, admin, session);

    await device.proxy.setOnline(true);
    await eventually(async () => expect(await eddieSessions(admin)).not.toContain(session));

    // Answered, it is forgotten: the token it kept is no longer on the device.
    await eventually(() => expect(existsSync(join(device.dataDir, 'sync-sign-outs.json'))).toBe(false));
  });

  it('sent when someone else signs in on the device', async () => {
    const admin = await team.signedIn('root');
    const { device, session } = await eddieSignedIn(admin);
    await signOutOffline(device, admin, session);

    await device.proxy.setOnline(true);
    await device.signIn('bob');
    await inSync(device);
    await eventually(async () => expect(await eddieSessions(admin)).not.toContain(session));
  });
});
