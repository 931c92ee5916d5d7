import { beforeAll, describe, expect, it } from 'vitest';
import { ENTITY_TYPES } from '../../shared/entities/registry';
import { expectConverged, inSync, seedCatalog, useTestTeam } from './harness';

const team = useTestTeam([
  ['alice', 'editor', 'Alice'],
  ['root', 'admin', 'Root'],
]);
const SEEDED = 300;

beforeAll(() => seedCatalog(team.server, 'root', SEEDED));

describe('a pull that never gets a whole answer', () => {
  it.each([
    ['the request is swallowed', 'request'],
    ['the answer stops after its headers', 'answer-headers'],
  ] as const)(
    'CLIENT-1: pulls stalled for good in the initial sync (%s) time out, are retried, and the client gets in sync',
    async (_, until) => {
      const client = await team.openClient({
        // --expose-gc: full collections while the pulls hang, as the memory pressure of a large sync runs them.
        execArgv: ['--expose-gc'],
        timing: { requestTimeoutMs: 2000 },
      });
      const errors: string[] = [];
      client.statusListeners.add((status) => {
        if (status.lastError) errors.push(status.lastError);
      });
      // The first pulls go out, then nothing more comes on their connections, not even a close.
      client.proxy.stallRequests(/^POST \/v1\/sync\/\w+\/pull /m, 4, until);
      await client.signIn('alice');
      await expect.poll(() => client.proxy.stalled, { timeout: 20_000 }).toBe(4);
      for (let round = 0; round < 5; round++) {
        await client.request({ op: 'gc' });
        await new Promise((resolve) => setTimeout(resolve, 200));
      }

      await inSync(client, 60_000);
      // While it waited, the status said what for.
      expect(errors).toContainEqual(expect.stringMatching(/did not answer within 2 s; retrying/));
      const final = await expectConverged(team.server, 'root', [client]);
      const held = ENTITY_TYPES.reduce((sum, type) => sum + Object.keys(final[type] ?? {}).length, 0);
      expect(held).toBe(SEEDED);
    },
  );
});
