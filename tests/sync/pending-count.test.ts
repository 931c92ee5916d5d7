import { describe, expect, it } from 'vitest';
import { eventually, inSync, useTestTeam, type TestClient } from './harness';

/**
 * The badge's count of entries waiting to be sent is kept as changes come and
 * go (issue 16: it is read after every write, so it is no longer recounted
 * from the whole list). It must stay what the list of waiting entries says
 * through creates, edits of the same entry, failed pushes, pushes, pulled
 * changes and a restart.
 */
const team = useTestTeam([
  ['alice', 'editor', 'Alice'],
  ['bob', 'editor', 'Bob'],
]);

/** The badge's count, checked against the list the "not sent" screen shows. */
async function expectWaiting(client: TestClient, entries: number): Promise<void> {
  await eventually(async () => {
    expect(client.status?.pending).toBe(entries);
    expect(await client.call<unknown[]>('sync.waiting')).toHaveLength(entries);
  });
}

async function goOffline(client: TestClient): Promise<void> {
  await client.proxy.setOnline(false);
  await eventually(() => expect(client.status?.phase).toBe('offline'));
}

describe('the count of waiting entries', () => {
  it('follows creates, edits, failed and finished pushes, pulls and a restart', async () => {
    const alice = await team.signedIn('alice');
    const bob = await team.signedIn('bob');
    await goOffline(alice);

    // Three entries, one of them edited twice and one trashed: three entries wait, not six writes.
    const rex = await alice.call('entities.create', { type: 'dog', fields: { name: 'Counted Rex' } });
    const trip = await alice.call('entities.create', { type: 'trip', fields: { name: 'Counted trip' } });
    const edited = await alice.call('entities.update', {
      type: 'dog',
      id: rex.id,
      rev: rex.rev,
      fields: { breed: 'Collie' },
    });
    await alice.call('entities.update', { type: 'dog', id: rex.id, rev: edited.rev, fields: { breed: 'Beagle' } });
    await alice.call('entities.create', { type: 'series', fields: { name: 'Counted series' } });
    await alice.call('trash.trash', { items: [{ type: 'trip', id: trip.id }] });
    await expectWaiting(alice, 3);
    // The audit entries travel with them: the push carries every document.
    expect(await alice.request<string[]>({ op: 'pendingKeys' })).toHaveLength(3 + 6);

    // Pushes fail while offline; nothing leaves the count.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await expectWaiting(alice, 3);

    // Back online: everything is pushed and the count is zero.
    await alice.proxy.setOnline(true);
    await inSync(alice);
    await expectWaiting(alice, 0);

    // Changes pulled from another device are the server's: they wait for nothing here.
    const bobs = await bob.call('entities.create', { type: 'person', fields: { name: 'Pulled person' } });
    await eventually(async () =>
      expect((await alice.call('entities.get', { type: 'person', id: bobs.id })).name).toBe('Pulled person'),
    );
    await expectWaiting(alice, 0);

    // A pulled entry edited here waits like any other.
    await goOffline(alice);
    const current = await alice.call('entities.get', { type: 'person', id: bobs.id });
    await alice.call('entities.update', { type: 'person', id: bobs.id, rev: current.rev, fields: { name: 'Renamed' } });
    await alice.call('entities.create', { type: 'dog', fields: { name: 'Written before a restart' } });
    await expectWaiting(alice, 2);

    // A restart, still offline: the count is right from the start and the list agrees.
    await alice.dispose({ keepData: true, keepProxy: true });
    const again = await team.openClient({ dataDir: alice.dataDir, proxy: alice.proxy });
    await eventually(() => expect(again.status?.phase).toBe('offline'));
    expect(again.status?.pending).toBe(2);
    await expectWaiting(again, 2);
    await alice.proxy.setOnline(true);
    await inSync(again);
    await expectWaiting(again, 0);
  }, 180_000);
});
