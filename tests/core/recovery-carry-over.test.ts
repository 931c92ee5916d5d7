import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { profileDatabaseFiles } from '../../main/recovery/profile-files';
import { eventually, PASSWORD, startTestServer, TEST_TIMING, type TestServer } from '../sync/harness';
import { TcpProxy } from '../sync/tcp-proxy';
import { damageTablePage } from './fixtures/damage';
import { openTestCore, type TestCore } from './helpers';

// Enough long rows that the series table spans many pages; the damaged one is in the middle.
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
afterEach(async () => {
  for (const core of cores.reverse()) await core.dispose();
  cores.length = 0;
});
afterAll(async () => {
  await proxy.close();
  await server.close();
});

async function signedIn(username: string, dataDir?: string): Promise<TestCore> {
  const core = await openTestCore({ sync: { timing: TEST_TIMING }, ...(dataDir ? { dataDir } : {}) });
  cores.push(core);
  if (!dataDir) await core.call.sync.signIn({ serverUrl: proxy.url, username, password: PASSWORD });
  return core;
}

const inSync = (core: TestCore) =>
  eventually(() => expect(core.context.sync.status).toMatchObject({ phase: 'in-sync', pending: 0 }));

describe('rebuild from the server: local-only changes meet what others changed since', () => {
  it('a field changed both in the old file and on the server keeps the server value and is recorded as a conflict', async () => {
    const laptop = await signedIn('ada');
    const created = [];
    for (let i = 0; i < ENTRIES; i++)
      created.push(await laptop.call.entities.create({ type: 'series', fields: { name: `Walk ${i}`, description } }));
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
    const bo = await signedIn('bo');
    await inSync(bo);
    await bo.call.entities.update({
      type: 'series',
      id: contested.id,
      fields: { name: 'Walk 1 by the sea', description: 'Edited by Bo' },
      bases: { name: 'Walk 1', description },
    });
    await inSync(bo);

    damageTablePage((await profileDatabaseFiles(laptop.dataDir)).catalog, 'series');
    const reopened = await signedIn('ada', laptop.dataDir);
    const result = await reopened.call.recovery.rebuildFromServer();

    // Bo's edits stand; the laptop's description of that entry waits in a conflict, not written over them.
    expect(await reopened.call.entities.get({ type: 'series', id: contested.id })).toMatchObject({
      name: 'Walk 1 by the sea',
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
      server: { description: 'Edited by Bo', name: 'Walk 1 by the sea' },
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
