import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventually, useTestTeam, type TestClient } from './harness';

const team = useTestTeam([
  ['eddie', 'editor', 'Eddie'],
  ['root', 'admin', 'Root'],
]);

const DAY_MS = 86_400_000;

/** Eddie's live sessions as Team ▸ Sessions lists them to an admin: id and when each ends by itself. */
async function eddieSessions(admin: TestClient): Promise<{ id: string; expiresAt: string }[]> {
  const { sessions } = await admin.call('team.sessions');
  return sessions
    .filter((session: { username: string | null }) => session.username === 'eddie')
    .map((session: { id: string; expiresAt: string }) => ({ id: session.id, expiresAt: session.expiresAt }));
}

/** Eddie signed in on a device of their own, and the session the server lists for it. */
async function eddieSignedIn(admin: TestClient): Promise<{ device: TestClient; id: string; expiresAt: string }> {
  const before = (await eddieSessions(admin)).map((session) => session.id);
  const device = await team.signedIn('eddie');
  const [session, ...more] = (await eddieSessions(admin)).filter((listed) => !before.includes(listed.id));
  expect(more).toEqual([]);
  return { device, ...session! };
}

/** The app closed and opened again on the same folder, through the same (offline) proxy, its clock moved on. */
async function reopen(device: TestClient, clockOffsetMs = 0): Promise<TestClient> {
  const { dataDir, proxy } = device;
  await device.dispose({ keepData: true, keepProxy: true });
  return team.openClient({ dataDir, proxy, clockOffsetMs });
}

describe('CLIENT-19: a sign-out waiting to be sent is shown, and ends with its session', { timeout: 120_000 }, () => {
  it('the status says where it waits, since when, and until the session ends on the server (known after a restart too); sent, it is gone', async () => {
    const admin = await team.signedIn('root');
    const { device, id, expiresAt } = await eddieSignedIn(admin);
    expect(device.status?.signOutsWaiting).toEqual([]);

    // Offline, the app is closed and reopened: still signed in, it has not refreshed since. Eddie signs out.
    await device.proxy.setOnline(false);
    const reopened = await reopen(device);
    await eventually(() => expect(reopened.status?.phase).toBe('offline'));
    const before = new Date().toISOString();
    await reopened.request({ op: 'signOut' });
    const after = new Date().toISOString();

    await eventually(() => expect(reopened.status?.signOutsWaiting).toHaveLength(1));
    const [waiting] = reopened.status!.signOutsWaiting;
    expect(waiting).toEqual({ serverUrl: reopened.proxy.url, since: expect.any(String), sessionEndsAt: expiresAt });
    expect(waiting!.since >= before && waiting!.since <= after).toBe(true);

    // Back online it is sent: the session ends and the status no longer lists it.
    await reopened.proxy.setOnline(true);
    await eventually(() => expect(reopened.status?.signOutsWaiting).toEqual([]));
    expect((await eddieSessions(admin)).map((session) => session.id)).not.toContain(id);
  });

  it('once its session has ended on the server by itself, it is dropped rather than tried without end', async () => {
    const admin = await team.signedIn('root');
    const { device, expiresAt } = await eddieSignedIn(admin);
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(29 * DAY_MS);
    await device.proxy.setOnline(false);
    await device.request({ op: 'signOut' });
    await eventually(() => expect(device.status?.signOutsWaiting).toHaveLength(1));
    const kept = join(device.dataDir, 'sync-sign-outs.json');

    // 29 days on, still offline: the session still stands on the server, so the sign-out still waits.
    const later = await reopen(device, 29 * DAY_MS);
    await eventually(() =>
      expect(later.status?.signOutsWaiting).toEqual([expect.objectContaining({ sessionEndsAt: expiresAt })]),
    );
    expect(existsSync(kept)).toBe(true);

    // 32 days on (30 days' session and a day's margin for the clocks): nothing is left to sign out; it is
    // dropped without reaching the server, and the refresh token it kept is no longer on the device.
    const muchLater = await reopen(later, 32 * DAY_MS);
    await eventually(() => expect(muchLater.status?.signOutsWaiting).toEqual([]));
    expect(existsSync(kept)).toBe(false);
  });
});
