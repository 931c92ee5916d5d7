import { describe, expect, it } from 'vitest';
import { eventually, inSync, useTestTeam } from './harness';

const team = useTestTeam([
  ['alice', 'editor', 'Alice'],
  ['bob', 'editor', 'Bob'],
]);

describe('changes the live stream missed', () => {
  it('CLIENT-1: a trip created while the stream reconnected during a held push is pulled, not skipped by the events after it', async () => {
    // Alice's pushes time out quickly, so the push held below ends within the test.
    const alice = await team.openClient({ timing: { requestTimeoutMs: 3000 } });
    const bob = await team.signedIn('bob');
    const created = async (name: string): Promise<string> => {
      const trip = await bob.call('entities.create', { type: 'trip', fields: { name } });
      await inSync(bob);
      return trip.id;
    };

    // Alice's trip pushes hang (this one, and the retry after the outage): while her trip replication
    // pushes, RxDB holds back the stream's trip events, so the events and the reconnect's RESYNC queue up.
    alice.proxy.stallRequests(/^POST \/v1\/sync\/trip\/push /m, 2);
    await alice.signIn('alice');
    await inSync(alice);
    await alice.call('entities.create', { type: 'trip', fields: { name: 'Held' } });
    await expect.poll(() => alice.proxy.stalled, { timeout: 10_000 }).toBe(1);
    await created('Before the outage');
    // Time for its event to reach Alice's stream and wait there.
    await new Promise((resolve) => setTimeout(resolve, 300));

    await alice.proxy.setOnline(false);
    const missed = await created('Made while Alice was offline');
    await alice.proxy.setOnline(true);
    // The stream is back (its RESYNC queued behind the push), and the push's retry hangs again.
    await expect.poll(() => alice.proxy.stalled, { timeout: 10_000 }).toBe(2);
    await expect.poll(() => alice.status?.phase, { timeout: 10_000 }).not.toMatch(/offline|connecting/);
    const after = await created('After the outage');

    // Once the push times out and goes through, the queued events are handled.
    const snapshot = await eventually(async () => {
      const now = await alice.snapshot();
      expect(now.trip![after]).toBeDefined();
      return now;
    });
    expect(snapshot.trip![missed]).toBeDefined();
  });
});
