import { describe, expect, it } from 'vitest';
import type { SyncTiming } from '../../main/sync';
import { eventually, inSync, type TestClient, useTestTeam } from './harness';

/**
 * The sync status says what is true (issue 11, point 8), driven through a
 * real server and a TCP proxy. Timings are the engine's own settings, set so
 * that the old behaviour could not reach the asserted state in the wait.
 */
const team = useTestTeam([['alice', 'editor', 'Alice']], { heartbeatMs: 500 });

function signedIn(timing: Partial<SyncTiming> = {}): Promise<TestClient> {
  return team.signedIn('alice', { timing });
}

describe('the sync status tells the truth', () => {
  it('CLIENT-11: the first answer from a returning server ends "offline", whatever the stream backoff', async () => {
    // The stream waits a minute before reconnecting: only the pushes' answers can end "offline" sooner.
    const client = await signedIn({ backoff: { initialMs: 60_000, maxMs: 60_000 } });
    await client.proxy.setOnline(false);
    await eventually(() => expect(client.status?.phase).toBe('offline'));
    await client.call('entities.create', { type: 'dog', fields: { name: 'Waiting Rex' } });
    await client.proxy.setOnline(true);
    await inSync(client, 20_000);
  });

  it('CLIENT-9: a silent partition is reported as a lost connection, and the end of it as back online', async () => {
    // Without the heartbeat the server announces, only the one-minute idle timeout would notice.
    const client = await signedIn({ idleTimeoutMs: 60_000, heartbeatGraceMs: 1000 });
    client.proxy.setSilent(true);
    await eventually(() => expect(client.status?.phase).toBe('offline'), 20_000);
    expect(client.status?.lastError).toMatch(/connection to the sync server was lost/);
    client.proxy.setSilent(false);
    await eventually(() => expect(client.status?.phase).toBe('in-sync'), 20_000);
  });

  it('CLIENT-11: "waiting" counts the entries changed, not the writes (edits and their audit entries)', async () => {
    const client = await signedIn();
    await client.proxy.setOnline(false);
    await eventually(() => expect(client.status?.phase).toBe('offline'));
    const rex = await client.call('entities.create', { type: 'dog', fields: { name: 'Counted Rex' } });
    await client.call('trash.trash', { items: [{ type: 'dog', id: rex.id }] });
    await client.call('entities.create', { type: 'series', fields: { name: 'Counted series' } });
    await eventually(() => expect(client.status?.pending).toBe(2));
    // Three audit entries wait with them: the count is of entries, the push still carries all five.
    expect(await client.request<string[]>({ op: 'pendingKeys' })).toHaveLength(5);
    await client.proxy.setOnline(true);
    await inSync(client);
  });
});
