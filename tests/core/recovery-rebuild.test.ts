import { readdir } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { profileDatabaseFiles } from '../../main/recovery/profile-files';
import { eventually, PASSWORD, startTestServer, TEST_TIMING, type TestServer } from '../sync/harness';
import { TcpProxy } from '../sync/tcp-proxy';
import { damageTablePage } from './fixtures/damage';
import { appErrorOf, openTestCore, type TestCore } from './helpers';

const ENTRIES = 150;
const description = 'A walk along the river, recorded on a grey morning. '.repeat(12);

let server: TestServer;
let proxy: TcpProxy;
const cores: TestCore[] = [];
beforeAll(async () => {
  server = await startTestServer();
  await server.addUser('ada', 'editor', 'Ada Editor');
  await server.addUser('bo', 'editor', 'Bo Editor');
  proxy = await TcpProxy.start(server.url);
});
// Each core holds RxDB collections, of which a process may open only so many: close them after each test.
afterEach(async () => {
  // Newest first: a reopened profile closes before the first core of its folder removes the folder.
  for (const core of cores.reverse()) await core.dispose();
  cores.length = 0;
});
afterAll(async () => {
  await proxy.close();
  await server.close();
});

async function signedInCore(dataDir?: string): Promise<TestCore> {
  const core = await openTestCore({ sync: { timing: TEST_TIMING }, ...(dataDir ? { dataDir } : {}) });
  cores.push(core);
  return core;
}

const inSync = (core: TestCore) =>
  eventually(() => expect(core.context.sync.status).toMatchObject({ phase: 'in-sync', pending: 0 }));

describe('rebuild a damaged profile from the server', () => {
  it('fills a fresh store from the server and carries over the local-only changes that can be read', async () => {
    const laptop = await signedInCore();
    await laptop.call.sync.signIn({ serverUrl: proxy.url, username: 'ada', password: PASSWORD });
    const created = [];
    for (let i = 0; i < ENTRIES; i++)
      created.push(await laptop.call.entities.create({ type: 'series', fields: { name: `Walk ${i}`, description } }));
    await inSync(laptop);

    // Offline: one new entry and one edit never reach the server.
    await proxy.setOnline(false);
    const offline = await laptop.call.entities.create({ type: 'series', fields: { name: 'Offline walk' } });
    const edited = created[1]!;
    await laptop.call.entities.update({
      type: 'series',
      id: edited.id,
      fields: { description: 'Edited offline' },
      bases: { description },
    });
    await laptop.close();
    damageTablePage((await profileDatabaseFiles(laptop.dataDir)).catalog, 'series');
    await proxy.setOnline(true);

    const reopened = await signedInCore(laptop.dataDir);
    expect((await reopened.call.recovery.status()).damaged).toBe(true);
    const result = await reopened.call.recovery.rebuildFromServer();
    expect(result).toMatchObject({ carriedOver: 2, synced: true });
    expect(result.unreadable).toBeGreaterThan(0);
    expect(result.keptAt).toContain('.damaged-');

    // Every entry the server had is back, damaged rows included, plus the two local-only changes.
    expect(await reopened.call.entities.counts()).toMatchObject({ series: { live: ENTRIES + 1, trash: 0 } });
    expect(await reopened.call.entities.get({ type: 'series', id: offline.id })).toMatchObject({
      name: 'Offline walk',
    });
    expect(await reopened.call.entities.get({ type: 'series', id: edited.id })).toMatchObject({
      name: 'Walk 1',
      description: 'Edited offline',
    });
    await inSync(reopened);

    // And they reached the server: a second device sees them.
    const other = await signedInCore();
    await other.call.sync.signIn({ serverUrl: proxy.url, username: 'ada', password: PASSWORD });
    await inSync(other);
    expect(await other.call.entities.counts()).toMatchObject({ series: { live: ENTRIES + 1, trash: 0 } });
    expect(await other.call.entities.get({ type: 'series', id: edited.id })).toMatchObject({
      description: 'Edited offline',
    });
  });

  it("refuses a snapshot restore to a signed-in editor before moving anything: restore is an admin's", async () => {
    const laptop = await signedInCore();
    await laptop.call.sync.signIn({ serverUrl: proxy.url, username: 'ada', password: PASSWORD });
    for (let i = 0; i < ENTRIES; i++)
      await laptop.call.entities.create({ type: 'series', fields: { name: `Hike ${i}`, description } });
    const snapshot = await laptop.context.services.snapshots.take('scheduled');
    await laptop.close();
    damageTablePage((await profileDatabaseFiles(laptop.dataDir)).catalog, 'series');

    const reopened = await signedInCore(laptop.dataDir);
    expect(await appErrorOf(reopened.call.recovery.restoreSnapshot({ snapshotId: snapshot.id }))).toMatchObject({
      appCode: 'FORBIDDEN',
      message: expect.stringMatching(/Rebuild from the server instead/),
    });
    expect((await readdir(laptop.dataDir)).some((name) => name.includes('.damaged-'))).toBe(false);
    expect((await reopened.call.recovery.status()).damaged).toBe(true);
  });
});

describe('rebuild from the server: local-only changes meet what others changed since', () => {
  it('a field changed both in the old file and on the server keeps the server value and is recorded as a conflict', async () => {
    const laptop = await signedInCore();
    await laptop.call.sync.signIn({ serverUrl: proxy.url, username: 'ada', password: PASSWORD });
    const created = [];
    for (let i = 0; i < ENTRIES; i++)
      created.push(await laptop.call.entities.create({ type: 'series', fields: { name: `Shore ${i}`, description } }));
    await inSync(laptop);
    const [contested, onlyHere] = [created[1]!, created[2]!];

    // Offline on the laptop: two descriptions edited, neither sent.
    await proxy.setOnline(false);
    for (const entry of [contested, onlyHere]) {
      await laptop.call.entities.update({
        type: 'series',
        id: entry.id,
        fields: { description: 'Edited on the laptop' },
        bases: { description },
      });
    }
    await laptop.close();
    // Meanwhile Bo changes the same description of one of them, and its name.
    await proxy.setOnline(true);
    const bo = await signedInCore();
    await bo.call.sync.signIn({ serverUrl: proxy.url, username: 'bo', password: PASSWORD });
    await inSync(bo);
    await bo.call.entities.update({
      type: 'series',
      id: contested.id,
      fields: { name: 'Shore 1 by the sea', description: 'Edited by Bo' },
      bases: { name: 'Shore 1', description },
    });
    await inSync(bo);

    damageTablePage((await profileDatabaseFiles(laptop.dataDir)).catalog, 'series');
    const reopened = await signedInCore(laptop.dataDir);
    const result = await reopened.call.recovery.rebuildFromServer();

    // Bo's edits stand; the laptop's description of that entry waits in a conflict, not written over them.
    expect(await reopened.call.entities.get({ type: 'series', id: contested.id })).toMatchObject({
      name: 'Shore 1 by the sea',
      description: 'Edited by Bo',
    });
    expect(await reopened.call.entities.get({ type: 'series', id: onlyHere.id })).toMatchObject({
      description: 'Edited on the laptop',
    });
    expect(result).toMatchObject({ carriedOver: 1, conflicts: 1, synced: true });
    const { items } = await reopened.call.conflicts.list();
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      kind: 'merge',
      entityId: contested.id,
      fields: ['description'],
      base: { description },
      local: { description: 'Edited on the laptop' },
      server: { description: 'Edited by Bo', name: 'Shore 1 by the sea' },
      merged: { description: 'Edited by Bo' },
      status: 'open',
    });

    // The server keeps Bo's value too, and the conflict record reaches the others.
    await inSync(reopened);
    await eventually(async () => {
      expect(await bo.call.entities.get({ type: 'series', id: onlyHere.id })).toMatchObject({
        description: 'Edited on the laptop',
      });
      expect(await bo.call.entities.get({ type: 'series', id: contested.id })).toMatchObject({
        description: 'Edited by Bo',
      });
      expect((await bo.call.conflicts.list()).items.map((record) => record.entityId)).toEqual([contested.id]);
    });
  });
});
