/**
 * CLIENT-18: pulled writes the client's storage rolls back (a full disk: its batch of pulled pages is lost,
 * checkpoints included) are pulled again by the running app, not at its next start.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { REPLICATED_COLLECTIONS } from '../../shared/protocol';
import { eventually, seedCatalog, serverSnapshot, useTestTeam } from './harness';

const team = useTestTeam([
  ['alice', 'editor', 'Alice'],
  ['root', 'admin', 'Root'],
]);
/** Under a page of the file per document (a catch-up writes no meta rows): ~2,000 pages. */
const SEEDED = 3000;
/** What the file may grow by while the disk is "full": some of the first pulled pages, not all of them. */
const ROOM_PAGES = 700;
/** The first wait before the replication starts again (shortened for the test; 1 s in the app). */
const FIRST_WAIT_MS = 200;

beforeAll(() => seedCatalog(team.server, 'root', SEEDED), 60_000);

describe('pulled writes rolled back by the storage', () => {
  it('CLIENT-18: a full disk in the middle of the first sync loses no document once there is room again', async () => {
    const client = await team.openClient({ timing: { replayBackoff: { initialMs: FIRST_WAIT_MS, maxMs: 1000 } } });
    const errors: string[] = [];
    let failedAt = 0;
    /** How often the replication started again (a new run connecting) since the first error. */
    let restarts = 0;
    let phase = client.status?.phase;
    client.statusListeners.add((status) => {
      if (status.lastError && errors.length === 0) failedAt = Date.now();
      if (status.lastError) errors.push(status.lastError);
      if (errors.length > 0 && status.phase === 'connecting' && phase !== 'connecting') restarts++;
      phase = status.phase;
    });
    // A change of this laptop's own, pushed at the sign-in: the restarts must neither lose it nor keep it waiting.
    const own = await client.call('entities.create', { type: 'series', fields: { name: 'Made before the sign-in' } });
    await client.request({ op: 'limitFileGrowth', pages: ROOM_PAGES });
    await client.signIn('alice');

    // The teammate's pages no longer fit: the status says so while the disk stays full.
    await eventually(() => expect(errors.join('\n')).toMatch(/disk is full/), 30_000);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(client.status?.phase).not.toBe('in-sync');
    expect(client.status?.lastError).toMatch(/could not be saved on this computer \(database or disk is full\)/);
    // Not a hot loop: every restart waited at least the first wait after the failure before it.
    expect(restarts).toBeGreaterThan(0);
    expect(restarts).toBeLessThanOrEqual(1 + (Date.now() - failedAt) / FIRST_WAIT_MS);
    await client.request({ op: 'limitFileGrowth', pages: null });

    // Without a restart of the client (and without a reconnect's RESYNC): everything arrives.
    await eventually(async () => {
      const expected = await serverSnapshot(team.server, 'root');
      expect(Object.keys(expected.series!)).toContain(own.id);
      const actual = await client.snapshot();
      for (const name of REPLICATED_COLLECTIONS) {
        expect(Object.keys(actual[name]!).sort(), name).toEqual(Object.keys(expected[name]!).sort());
      }
    }, 30_000);
    await eventually(() => expect(client.status).toMatchObject({ phase: 'in-sync', lastError: null, pending: 0 }));
  }, 120_000);
});
