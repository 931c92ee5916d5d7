import { randomBytes } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ensureRendererBuilt, startBrowserHost } from '../main/browser-host';
import { openCore, type Core } from '../main/core';
import { startServer } from '../server';
import type { EntityDocument } from '../shared/entities';
import { startDemoProxy } from './demo-proxy';

/**
 * `npm run demo`: a local sync server and two app instances in browser mode (Ada, an
 * admin, and Eddie, an editor), signed in to it, with the sample catalog and one
 * staged conflict, so a newcomer sees live sync and resolves a conflict in a minute.
 * Everything lives in .curio/demo and starts fresh on every run.
 */
const root = resolve(import.meta.dirname, '..');
const demoDir = join(root, '.curio', 'demo');
const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const password = `demo-${randomBytes(6).toString('hex')}`;

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`The demo gave up waiting for ${what}.`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const inSync = (core: Core) => async () => {
  const status = await core.createCaller().sync.status();
  return status.phase === 'in-sync' && status.pending === 0;
};

await rm(demoDir, { recursive: true, force: true });
const rendererDir = await ensureRendererBuilt(root);
const server = await startServer({
  host: '127.0.0.1',
  port: port('DEMO_SERVER_PORT', 0),
  dataDir: join(demoDir, 'server'),
  logLevel: 'warn',
});
await server.createUser({ username: 'ada', name: 'Ada Admin', password, role: 'admin' });
await server.createUser({ username: 'eddie', name: 'Eddie Editor', password, role: 'editor' });

// Ada's profile gets the sample catalog before signing in, so it is hers and is pushed on sign-in.
const adaLocal = { id: 'demo-ada', name: 'Ada' };
const ada = await openCore({
  dataDir: join(demoDir, 'ada'),
  actor: { ...adaLocal, role: 'admin' },
  deviceName: "Ada's laptop",
});
const sample = JSON.parse(
  await readFile(join(root, 'resources', 'sample-catalog.json'), 'utf8'),
  (key, value: unknown) => ((key === 'createdBy' || key === 'updatedBy') && value ? adaLocal : value),
) as Record<string, unknown>;
const sampleBackup = { content: JSON.stringify({ format: 'curio-backup', version: 1, collections: sample }) };
const { token } = await ada.createCaller().backup.previewRestore(sampleBackup);
await ada.createCaller().backup.restore({ ...sampleBackup, token });
await ada.createCaller().sync.signIn({ serverUrl: server.url, username: 'ada', password });
await waitFor("Ada's catalog to reach the server", inSync(ada));

const eddieProxy = await startDemoProxy(server.url);
const eddie = await openCore({
  dataDir: join(demoDir, 'eddie'),
  actor: { id: 'demo-eddie', name: 'Eddie', role: 'editor' },
  deviceName: "Eddie's laptop",
});
await eddie.createCaller().sync.signIn({ serverUrl: eddieProxy.url, username: 'eddie', password });
await waitFor("Eddie's first sync", inSync(eddie));

// Stage a conflict: Eddie goes offline, both change the same person's bio, Eddie reconnects.
const [person] = (await ada.createCaller().entities.list({ type: 'person', limit: 1 })).items;
if (person) {
  eddieProxy.setOnline(false);
  const onEddie = await eddie.createCaller().entities.get({ type: 'person', id: person.id });
  await eddie.createCaller().entities.update({
    type: 'person',
    id: person.id,
    fields: { bio: 'Eddie: met at the dog show.' },
    bases: { bio: (onEddie as EntityDocument<'person'>).bio ?? null },
  });
  await ada.createCaller().entities.update({
    type: 'person',
    id: person.id,
    fields: { bio: 'Ada: our first guest.' },
    bases: { bio: (person as EntityDocument<'person'>).bio ?? null },
  });
  await waitFor('Ada to push her edit', inSync(ada));
  eddieProxy.setOnline(true);
  await waitFor('the conflict to reach Ada', async () => (await ada.createCaller().conflicts.openCount()) > 0).catch(
    () =>
      console.warn(
        '(The staged conflict did not show up; edit the same field in both windows while one is offline to make one.)',
      ),
  );
}

const adaHost = await startBrowserHost({ core: ada, port: port('DEMO_ADA_PORT', 5311), rendererDir });
const eddieHost = await startBrowserHost({ core: eddie, port: port('DEMO_EDDIE_PORT', 5312), rendererDir });
console.log(`
Curio demo is running (data in ${demoDir}, fresh on every run).

  Sync server      ${server.url}   users: ada (admin), eddie (editor), password: ${password}
  Ada (admin)      ${adaHost.url}
  Eddie (editor)   ${eddieHost.url}

Open both addresses side by side:
  1. In Eddie's window, edit a video's title and save: Ada's list changes by itself.
  2. In Ada's window, open Conflicts (the badge shows 1): the same person's bio was edited on both
     while Eddie was offline. Pick a side per field or type a value, Resolve, and watch both windows agree.

Press Ctrl+C to stop.`);

const stop = async () => {
  await adaHost.close();
  await eddieHost.close();
  await eddie.close();
  await ada.close();
  await eddieProxy.close();
  await server.close();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
