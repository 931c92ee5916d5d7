import { describe, expect, it } from 'vitest';
import { ClientError } from './client-process';
import { eventually, expectConverged, inSync, useTestTeam } from './harness';

const team = useTestTeam(
  [
    ['alice', 'editor', 'Alice'],
    ['root', 'admin', 'Root'],
    ['vera', 'viewer', 'Vera'],
  ],
  // Access tokens live 3 s: every test here outlives several of them.
  { accessTokenTtlSeconds: 3 },
);
const client = team.openClient;

describe('the replication client over time', () => {
  it('AUTH-2, STREAM-4, CLIENT-7: tokens are refreshed transparently and the stream comes back after each expiry', async () => {
    const [a, b] = await Promise.all([client(), client()]);
    await Promise.all([a.signIn('alice'), b.signIn('root')]);
    const series = await a.call('entities.create', { type: 'series', fields: { name: 'Long running' } });
    let current = series;
    for (let round = 0; round < 4; round++) {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      current = await a.call('entities.update', {
        type: 'series',
        id: series.id,
        rev: current.rev,
        fields: { description: `Round ${round}` },
      });
      const rev = current.rev;
      await eventually(async () =>
        expect((await b.call('entities.get', { type: 'series', id: series.id })).rev).toBe(rev),
      );
    }
    expect(a.status?.phase).not.toBe('paused');
    expect(b.status?.phase).not.toBe('paused');
  });

  it('the sync status is a tRPC subscription', async () => {
    const device = await client();
    const watching = device.request<string[]>({ op: 'statusSubscription', until: 'in-sync' });
    await device.signIn('alice');
    const phases = await watching;
    expect(phases[0]).toBe('signed-out');
    expect(phases.at(-1)).toBe('in-sync');
  });

  it('a device that was signed in resumes by itself after a restart, offline work included', async () => {
    const first = await client();
    await first.signIn('alice');
    await inSync(first);
    await first.proxy.setOnline(false);
    await eventually(() => expect(first.status?.phase).toBe('offline'));
    const written = await first.call('entities.create', { type: 'trip', fields: { name: 'Written before a restart' } });
    await first.dispose({ keepData: true, keepProxy: true });
    // Restarted while the server is still out of reach: offline, saying why, and retrying.
    const again = await client({ dataDir: first.dataDir, proxy: first.proxy });
    await eventually(() => expect(again.status?.phase).toBe('offline'));
    expect(again.status?.lastError).toMatch(/Cannot reach the sync server/);
    // The trip (with its audit entry) still waits, and the count of changed entries says so from the start.
    expect(again.status?.pending).toBe(1);
    await first.proxy.setOnline(true);
    await inSync(again);
    const watcher = await client();
    await watcher.signIn('root');
    await expectConverged(team.server, 'root', [again, watcher]);
    expect((await watcher.call('entities.get', { type: 'trip', id: written.id })).name).toBe(
      'Written before a restart',
    );
    expect(again.status?.user).toMatchObject({ username: 'alice' });
  });

  it('ROLE-1: a viewer pulls everything and cannot write', async () => {
    const writer = await client();
    await writer.signIn('alice');
    const dog = await writer.call('entities.create', { type: 'dog', fields: { name: 'Seen by a viewer' } });
    const viewer = await client();
    await viewer.signIn('vera');
    await eventually(async () =>
      expect((await viewer.call('entities.get', { type: 'dog', id: dog.id })).name).toBe('Seen by a viewer'),
    );
    const refused = await viewer
      .call('entities.create', { type: 'dog', fields: { name: 'Nope' } })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ClientError);
    expect((refused as ClientError).code).toBe('FORBIDDEN');
  });

  it('an unreachable server at sign-in is reported on the address field', async () => {
    const device = await client();
    await device.proxy.setOnline(false);
    const failure = await device.signIn('alice').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ClientError);
    expect((failure as ClientError).code).toBe('VALIDATION');
    expect((failure as ClientError).message).toMatch(/Cannot reach the sync server/);
    await device.proxy.setOnline(true);
  });
});
