import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { login } from '../../main/sync/auth';
import { requestJson } from '../../main/sync/http';
import { PULL_BATCH_SIZE } from '../../main/sync/replication';
import type { Role } from '../../shared/protocol';
import { generateCatalog } from '../../shared/sample';
import {
  eventually,
  PASSWORD,
  serverSnapshot,
  type TestClient,
  useTestTeam,
  setRole as setRoleOnServer,
} from './harness';

/**
 * CLIENT-20, CLIENT-12: a viewer's pull holds back the server's versions of entries whose changes wait, yet
 * pulls the rest of the catalog in one go, and the "not sent" export shows what the server has now.
 */
// Access tokens live an hour: only the server's notice tells the client of a new role.
const team = useTestTeam(
  [
    ['root', 'admin', 'Root'],
    ['ada', 'editor', 'Ada'],
  ],
  { accessTokenTtlSeconds: 3600, perTest: true },
);

type Dog = { id: string; rev: string; name: string; breed?: string; color?: string };

const setRole = (userId: string, role: Role) => setRoleOnServer(team.server, 'root', userId, role);

/** Ada, writing to the server straight (her own app would only slow the test down). */
async function adaOnTheServer() {
  const tokens = await login(team.server.url, { username: 'ada', password: PASSWORD });
  const actor = { id: tokens.user.id, name: tokens.user.name };
  const push = (rows: unknown[]) =>
    requestJson(team.server.url, '/v1/sync/dog/push', { body: { rows }, accessToken: tokens.accessToken });
  return {
    async create(dogs: Record<string, unknown>[]): Promise<void> {
      const rows = dogs.map((dog) => ({
        assumedMasterState: null,
        newDocumentState: { ...dog, createdBy: actor, updatedBy: actor, _deleted: false },
      }));
      for (let start = 0; start < rows.length; start += 1000) await push(rows.slice(start, start + 1000));
    },
    /** Changes the breed Eddie changed too, and the color he left alone. */
    async edit(id: string): Promise<void> {
      const stored = (await serverSnapshot(team.server, 'root')).dog![id]!;
      const assumedMasterState = { ...stored, _deleted: false };
      const newDocumentState = {
        ...assumedMasterState,
        breed: 'Ada’s breed',
        color: 'Black',
        rev: randomUUID(),
        updatedAt: new Date().toISOString(),
        updatedBy: actor,
      };
      await push([{ assumedMasterState, newDocumentState }]);
    },
  };
}

const dogsOf = async (client: TestClient): Promise<number> =>
  ((await client.call('entities.counts')) as Record<string, { live: number }>).dog?.live ?? 0;

async function offline(client: TestClient): Promise<void> {
  await client.proxy.setOnline(false);
  await eventually(() => expect(client.status?.phase).toBe('offline'));
}

/**
 * Eddie has `rexes` (Ada's) and changes each offline; Ada makes him a viewer meanwhile. Back online, his
 * changes wait, not sent; then he goes offline again.
 */
async function eddieWaitingOffline(rexes: Dog[]) {
  const ada = await adaOnTheServer();
  await ada.create(rexes);
  const eddieUser = await team.server.addUser('eddie', 'editor', 'Eddie');
  const eddie = await team.signedIn('eddie');
  await eventually(async () => expect(await dogsOf(eddie)).toBe(rexes.length));

  await offline(eddie);
  for (const rex of rexes) {
    await eddie.call('entities.update', { type: 'dog', id: rex.id, rev: rex.rev, fields: { breed: 'Eddie’s guess' } });
  }
  await setRole(eddieUser.id, 'viewer');
  await eddie.proxy.setOnline(true);
  await eventually(async () => {
    expect(eddie.status).toMatchObject({
      phase: 'in-sync',
      pending: rexes.length,
      notSentReason: expect.stringMatching(/viewer/),
    });
    expect(await eddie.call('sync.waiting')).toHaveLength(rexes.length);
  });
  await offline(eddie);
  return { ada, eddie };
}

const breedOf = async (client: TestClient, id: string): Promise<string | undefined> =>
  ((await client.call('entities.get', { type: 'dog', id })) as Dog).breed;

describe('a viewer’s pull with versions held back', { timeout: 240_000 }, () => {
  it('CLIENT-20, CLIENT-12: pulls every other entry at once, though each batch from the server holds one back', async () => {
    // Each Rex is edited on the server, then a batch's worth of dogs less one follows: every batch from the
    // server holds one version back, so RxDB, ending its pull at a short batch, would take a pull per Rex.
    const rexCount = 3;
    const catalog = generateCatalog({ video: 0, person: 0, dog: rexCount * PULL_BATCH_SIZE + 10, trip: 0, series: 0 });
    const dogs = catalog.dog as unknown as Dog[];
    const rexes = dogs.slice(0, rexCount);
    const others = dogs.slice(rexCount);
    const { ada, eddie } = await eddieWaitingOffline(rexes);

    for (const [index, rex] of rexes.entries()) {
      await ada.edit(rex.id);
      await ada.create(others.slice(index * (PULL_BATCH_SIZE - 1), (index + 1) * (PULL_BATCH_SIZE - 1)));
    }
    await ada.create(others.slice(rexCount * (PULL_BATCH_SIZE - 1)));

    // Back online, one reconnect: nothing else asks for a pull.
    await eddie.proxy.setOnline(true);
    await eventually(async () => expect(await dogsOf(eddie)).toBe(dogs.length), 90_000);
    await eventually(() => expect(eddie.status).toMatchObject({ phase: 'in-sync', pending: rexCount }));
    for (const rex of rexes) expect(await breedOf(eddie, rex.id)).toBe('Eddie’s guess');

    // The held versions were not lost on the way: discarded, each Rex shows Ada's edit.
    expect(await eddie.call('sync.discardWaiting', { entries: await eddie.call('sync.waiting') })).toEqual({
      discarded: rexCount,
    });
    await eventually(async () => {
      for (const rex of rexes) expect(await breedOf(eddie, rex.id)).toBe('Ada’s breed');
    });
  });

  it('CLIENT-20: the "not sent" export shows the server’s version the pull holds back, not the one before', async () => {
    const rex = (generateCatalog({ video: 0, person: 0, dog: 1, trip: 0, series: 0 }).dog as unknown as Dog[])[0]!;
    const { ada, eddie } = await eddieWaitingOffline([rex]);
    await ada.edit(rex.id);
    await ada.create([{ ...generateCatalog({ video: 0, person: 0, dog: 2, trip: 0, series: 0 }, 5).dog[1]! }]);

    await eddie.proxy.setOnline(true);
    // Once Eddie has Ada's later dog, his pull went past her edit of Rex.
    await eventually(async () => expect(await dogsOf(eddie)).toBe(2));
    await eventually(() => expect(eddie.status).toMatchObject({ phase: 'in-sync', pending: 1 }));
    expect(await eddie.call('sync.waiting')).toEqual([expect.objectContaining({ id: rex.id, kind: 'changed' })]);

    const exported = await eddie.call('sync.exportWaiting');
    const file = JSON.parse(await readFile(exported.filePath, 'utf8'));
    expect(file.entries).toEqual([
      expect.objectContaining({
        id: rex.id,
        local: expect.objectContaining({ breed: 'Eddie’s guess' }),
        server: expect.objectContaining({ breed: 'Ada’s breed', color: 'Black' }),
      }),
    ]);

    // Discarding puts back what the server has now.
    expect(await eddie.call('sync.discardWaiting', { entries: await eddie.call('sync.waiting') })).toEqual({
      discarded: 1,
    });
    await eventually(async () => expect(await breedOf(eddie, rex.id)).toBe('Ada’s breed'));
  });
});
