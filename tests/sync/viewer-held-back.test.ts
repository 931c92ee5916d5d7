import { describe, expect, it } from 'vitest';
import type { Role } from '../../shared/protocol';
import { eventually, serverSnapshot, type TestClient, useTestTeam, setRole as setRoleOnServer } from './harness';

/**
 * CLIENT-20: a viewer's pull holds back the server's newer version of an entry whose change waits, and no
 * restart, sign-in or live change loses it: once the change is discarded, the entry shows the teammate's edit.
 */
// Access tokens live an hour: only the server's notice (or a refused push) tells the client of a new role.
const team = useTestTeam(
  [
    ['root', 'admin', 'Root'],
    ['ada', 'editor', 'Ada'],
  ],
  { accessTokenTtlSeconds: 3600, perTest: true },
);

type Dog = { id: string; rev: string; name: string; breed?: string; color?: string };

const setRole = (userId: string, role: Role) => setRoleOnServer(team.server, 'root', userId, role);

const rexOf = async (client: TestClient): Promise<Dog | undefined> =>
  ((await client.call('entities.list', { type: 'dog' })).items as Dog[]).find((dog) => dog.name === 'Rex');

/** The app closed and opened again on the same folder; `killed`: ended as by kill -9, nothing saved. */
async function restarted(client: TestClient, killed = false): Promise<TestClient> {
  const { dataDir, proxy } = client;
  if (killed) await client.kill();
  await client.dispose({ keepData: true, keepProxy: true });
  return team.openClient({ dataDir, proxy });
}

/** Ada edits Rex: the breed Eddie changed too, and the color he left alone; then Max, written after Rex. */
async function adaEditsRex(ada: TestClient, rex: Dog): Promise<void> {
  const current = (await rexOf(ada))!;
  await ada.call('entities.update', {
    type: 'dog',
    id: rex.id,
    rev: current.rev,
    fields: { breed: 'Boxer', color: 'Black' },
  });
  await ada.call('entities.create', { type: 'dog', fields: { name: `Max ${current.rev}` } });
}

/** Eddie changes Rex's breed offline and is made a viewer meanwhile; back online, his change waits, not sent. */
async function eddieWaitingAsViewer() {
  const ada = await team.signedIn('ada');
  const eddieUser = await team.server.addUser('eddie', 'editor', 'Eddie');
  let eddie = await team.signedIn('eddie');
  const rex: Dog = await ada.call('entities.create', { type: 'dog', fields: { name: 'Rex', breed: 'Collie' } });
  await eventually(async () => expect(await rexOf(eddie)).toMatchObject({ breed: 'Collie' }));

  await eddie.proxy.setOnline(false);
  await eventually(() => expect(eddie.status?.phase).toBe('offline'));
  await eddie.call('entities.update', { type: 'dog', id: rex.id, rev: rex.rev, fields: { breed: 'Beagle' } });
  await setRole(eddieUser.id, 'viewer');
  const waiting = async (client: TestClient) => {
    await eventually(async () => {
      expect(client.status).toMatchObject({ pending: 1, notSentReason: expect.stringMatching(/viewer/) });
      expect(await client.call('sync.waiting')).toEqual([expect.objectContaining({ id: rex.id, kind: 'changed' })]);
    });
    expect(await rexOf(client)).toMatchObject({ breed: 'Beagle' });
  };
  return {
    ada,
    rex,
    eddieUser,
    get eddie() {
      return eddie;
    },
    async online() {
      await eddie.proxy.setOnline(true);
      await waiting(eddie);
    },
    /** Once Eddie has Ada's later entry, his pull went past her edit of Rex. */
    async pulledPast(count: number) {
      await eventually(async () =>
        expect((await eddie.call('entities.list', { type: 'dog' })).items).toHaveLength(count),
      );
      await eventually(() => expect(eddie.status?.phase).toBe('in-sync'));
    },
    /** A new run: the app restarted (or was killed and started again), or Eddie signed out and in again. */
    async newRun(how: 'restart' | 'kill' | 'sign-in') {
      if (how === 'sign-in') {
        await eddie.request({ op: 'signOut' });
        await eddie.signIn('eddie');
      } else {
        eddie = await restarted(eddie, how === 'kill');
      }
      await waiting(eddie);
      await eventually(() => expect(eddie.status?.phase).toBe('in-sync'));
    },
  };
}

describe('a viewer’s held-back version of an entry with a change waiting', { timeout: 180_000 }, () => {
  it.each(['restart', 'kill', 'sign-in'] as const)(
    'CLIENT-20: outlives a new run (%s); the discard then shows the teammate’s edit made while the viewer was away',
    async (how) => {
      const setUp = await eddieWaitingAsViewer();
      await adaEditsRex(setUp.ada, setUp.rex);
      await setUp.online();
      await setUp.pulledPast(2);

      await setUp.newRun(how);
      expect(
        await setUp.eddie.call('sync.discardWaiting', { entries: await setUp.eddie.call('sync.waiting') }),
      ).toEqual({ discarded: 1 });
      await eventually(async () => expect(await rexOf(setUp.eddie)).toMatchObject({ breed: 'Boxer', color: 'Black' }));
      await eventually(() => expect(setUp.eddie.status).toMatchObject({ phase: 'in-sync', pending: 0 }));
    },
  );

  it('CLIENT-20: a teammate’s edit streamed while the viewer is online neither replaces the waiting change nor is lost by a restart', async () => {
    const setUp = await eddieWaitingAsViewer();
    await setUp.online();
    await adaEditsRex(setUp.ada, setUp.rex);
    await setUp.pulledPast(2);
    expect(await rexOf(setUp.eddie)).toMatchObject({ breed: 'Beagle' });

    await setUp.newRun('restart');
    expect(await setUp.eddie.call('sync.discardWaiting', { entries: await setUp.eddie.call('sync.waiting') })).toEqual({
      discarded: 1,
    });
    await eventually(async () => expect(await rexOf(setUp.eddie)).toMatchObject({ breed: 'Boxer', color: 'Black' }));
  });

  it('CLIENT-20, CLIENT-2: promoted after a restart, the waiting change is sent and merged with the teammate’s edit', async () => {
    const setUp = await eddieWaitingAsViewer();
    await adaEditsRex(setUp.ada, setUp.rex);
    await setUp.online();
    await setUp.pulledPast(2);

    await setUp.newRun('restart');
    await setRole(setUp.eddieUser.id, 'editor');
    await eventually(() => expect(setUp.eddie.status).toMatchObject({ phase: 'in-sync', pending: 0 }));
    // Both changed the breed: the server's stays and Eddie's is kept in an open conflict; Ada's color is merged.
    await eventually(async () => expect(await rexOf(setUp.eddie)).toMatchObject({ breed: 'Boxer', color: 'Black' }));
    const onServer = await serverSnapshot(team.server, 'root');
    expect(onServer.dog![setUp.rex.id]).toMatchObject({ breed: 'Boxer', color: 'Black' });
    const conflicts = Object.values(onServer.conflicts!);
    expect(conflicts).toEqual([expect.objectContaining({ entityId: setUp.rex.id, fields: ['breed'] })]);
    expect(JSON.stringify(conflicts)).toContain('Beagle');
  });
});
