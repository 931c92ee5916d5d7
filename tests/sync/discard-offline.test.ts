import { describe, expect, it } from 'vitest';
import { login } from '../../main/sync/auth';
import { requestJson } from '../../main/sync/http';
import type { PullCheckpoint } from '../../shared/protocol';
import { eventually, inSync, PASSWORD, serverSnapshot, type TestClient, useTestTeam } from './harness';

/**
 * Discarding waiting changes while the server cannot be reached (CLIENT-10, CLIENT-16). RxDB retries a
 * failed push with the rows it read before: without CLIENT-16 the retry put the discarded entries back
 * on the waiting list and, once the server was back, sent the discarded changes to it.
 */
const team = useTestTeam([
  ['alice', 'editor', 'Alice'],
  ['root', 'admin', 'Root'],
]);

/** The server's changes to series after `checkpoint`, deletions included, read with an admin's pull. */
async function seriesChangesSince(checkpoint: PullCheckpoint | null) {
  const tokens = await login(team.server.url, { username: 'root', password: PASSWORD });
  const documents: Record<string, unknown>[] = [];
  for (;;) {
    const page: { documents: Record<string, unknown>[]; checkpoint: PullCheckpoint } = await requestJson(
      team.server.url,
      '/v1/sync/series/pull',
      { body: { checkpoint, limit: 1000 }, accessToken: tokens.accessToken },
    );
    if (page.documents.length === 0) return { documents, checkpoint };
    documents.push(...page.documents);
    checkpoint = page.checkpoint;
  }
}

/** Nothing is waiting, by the badge's count and by the "not sent" list. */
async function expectNothingWaiting(client: TestClient): Promise<void> {
  expect(client.status?.pending).toBe(0);
  expect(await client.call<unknown[]>('sync.waiting')).toEqual([]);
}

/** Offline, the push is retried every 100 ms (TEST_TIMING): through a couple of seconds of retries, nothing comes back. */
async function expectNothingWaitingWhileOffline(client: TestClient): Promise<void> {
  await eventually(() => expect(client.status?.phase).toBe('offline'));
  for (let check = 0; check < 20; check++) {
    await expectNothingWaiting(client);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** How the server becomes unreachable around the waiting changes. */
const WAYS = {
  /** The changes' push is on its way (stalled by the network) when they are discarded; then the server is gone. */
  'a push in flight fails after the discard': async (client: TestClient, change: () => Promise<void>) => {
    client.proxy.cutAll(); // The stall only reads new connections.
    client.proxy.stallRequests(/^POST \/v1\/sync\/series\/push /m, 1);
    await change();
    await expect.poll(() => client.proxy.stalled, { timeout: 20_000 }).toBe(1);
    return async () => client.proxy.setOnline(false);
  },
  /** The changes are made offline; their push fails and is retried until the discard, and after it. */
  'pushes fail before and after the discard': async (client: TestClient, change: () => Promise<void>) => {
    await client.proxy.setOnline(false);
    await eventually(() => expect(client.status?.phase).toBe('offline'));
    await change();
    return async () => undefined;
  },
} as const;

describe('discarding waiting changes while the server is unreachable', { timeout: 120_000 }, () => {
  it.each(Object.keys(WAYS) as (keyof typeof WAYS)[])(
    'CLIENT-16: %s: the discarded changes stay discarded, offline and once the server is back',
    async (way) => {
      const alice = await team.signedIn('alice');
      const kept = await alice.call('entities.create', { type: 'series', fields: { name: `On the server (${way})` } });
      await inSync(alice);
      const before = await seriesChangesSince(null);

      const goOffline = await WAYS[way](alice, async () => {
        await alice.call('trash.trash', { items: [{ type: 'series', id: kept.id }] });
        await alice.call('entities.create', { type: 'series', fields: { name: `Never sent (${way})` } });
      });
      await eventually(() => expect(alice.status?.pending).toBe(2));
      expect(await alice.call('sync.discardWaiting', { entries: await alice.call('sync.waiting') })).toEqual({
        discarded: 2,
      });
      await expectNothingWaiting(alice);
      await goOffline();
      await expectNothingWaitingWhileOffline(alice);

      // The server returns: nothing reappears, and the server's version is the one in place on both sides.
      await alice.proxy.setOnline(true);
      await inSync(alice);
      await expectNothingWaiting(alice);
      const here = await alice.call('entities.get', { type: 'series', id: kept.id });
      const onServer = (await serverSnapshot(team.server, 'root')).series![kept.id]!;
      expect(here).toMatchObject({ deletedAt: null, rev: onServer.rev });
      expect(onServer.deletedAt).toBeNull();
      const names = (await alice.call('entities.list', { type: 'series' })).items.map((s: { name: string }) => s.name);
      expect(names).not.toContain(`Never sent (${way})`);
      // The discarded changes never reached the server: no series changed there since.
      expect((await seriesChangesSince(before.checkpoint)).documents).toEqual([]);
      await alice.dispose();
    },
  );

  it('CLIENT-16: an edit saved while the previous one is being retried reaches the server, with no conflict', async () => {
    const alice = await team.signedIn('alice');
    const series = await alice.call('entities.create', { type: 'series', fields: { name: 'First name' } });
    await inSync(alice);
    await alice.proxy.setOnline(false);
    await eventually(() => expect(alice.status?.phase).toBe('offline'));
    const first = await alice.call('entities.update', {
      type: 'series',
      id: series.id,
      rev: series.rev,
      fields: { name: 'Second name' },
    });
    await new Promise((resolve) => setTimeout(resolve, 500)); // A few failed attempts at the first edit.
    await alice.call('entities.update', {
      type: 'series',
      id: series.id,
      rev: first.rev,
      fields: { name: 'Third name' },
    });
    expect(alice.status?.pending).toBe(1);

    await alice.proxy.setOnline(true);
    await inSync(alice);
    const here = await alice.call('entities.get', { type: 'series', id: series.id });
    const onServer = (await serverSnapshot(team.server, 'root')).series![series.id]!;
    expect(here).toMatchObject({ name: 'Third name', rev: onServer.rev });
    expect(onServer.name).toBe('Third name');
    expect((await alice.call('conflicts.list')).items).toEqual([]);
    await alice.dispose();
  });
});
