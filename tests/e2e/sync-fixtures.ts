import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import type { SyncTiming } from '../../main/sync';
import { startServer } from '../../server';
import { TcpProxy } from '../sync/tcp-proxy';
import { expect, startApp } from './fixtures';
import { ADA, EDDIE, PASSWORD, type TeamPerson } from './team-people';

export { ADA, EDDIE, PASSWORD, teamPerson, type TeamPerson } from './team-people';

/** Fast retries so the tests do not wait on production backoff. */
export const FAST_SYNC: Partial<SyncTiming> = {
  retryTimeMs: 100,
  backoff: { initialMs: 50, maxMs: 400 },
  idleTimeoutMs: 5000,
};

export type TeamServer = Awaited<ReturnType<typeof startServer>>;

/**
 * A real sync server on 127.0.0.1 with a 1 s heartbeat and cheap password
 * hashing, in a temporary data folder. `close` stops it and removes the folder.
 */
export async function startTeamServer(): Promise<{ server: TeamServer; close(): Promise<void> }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'curio-e2e-server-'));
  const server = await startServer({
    host: '127.0.0.1',
    port: 0,
    dataDir,
    logLevel: 'silent',
    heartbeatMs: 1000,
    passwordHashing: { memoryCost: 1024, timeCost: 1 },
  });
  return {
    server,
    async close() {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Ada, an admin, and Eddie, an editor: the two people most sync tests need. */
export async function createAdaAndEddie(server: TeamServer): Promise<void> {
  await server.createUser(ADA);
  await server.createUser(EDDIE);
}

/** A fresh browser context at desktop size, for one person. */
export async function newPersonContext(browser: Browser) {
  return browser.newContext({ viewport: { width: 1400, height: 900 } });
}

/** The sync badge in the header, whose accessible name carries the status words. */
export function syncBadge(page: Page) {
  return page.getByRole('button', { name: /^Sync status/ });
}

/** Signs in through the sync badge's form, as a person would, and waits for "In sync". */
export async function signIn(page: Page, serverUrl: string, username: string, password = PASSWORD): Promise<void> {
  await syncBadge(page).click();
  const form = page.getByRole('form', { name: 'Sign in to a sync server' });
  await form.getByLabel('Server address').fill(serverUrl);
  await form.getByLabel('User name').fill(username);
  await form.getByLabel('Password').fill(password);
  await form.getByRole('button', { name: 'Sign in' }).click();
  await expect(syncBadge(page)).toHaveAccessibleName(/^Sync status: In sync/, { timeout: 20_000 });
}

type StartedApp = Awaited<ReturnType<typeof startApp>>;

/**
 * Waits until `started`'s core has sent everything. Ask the core, not a page's badge: under load the badge can
 * still show the "In sync" of before the latest edits, and a teammate's edits would then reach the server first.
 */
export async function everythingSent(started: StartedApp): Promise<void> {
  await expect
    .poll(
      async () => {
        const status = await started.app.caller.sync.status();
        return `${status.phase}, ${status.pending} waiting`;
      },
      { timeout: 20_000 },
    )
    .toBe('in-sync, 0 waiting');
}

/** Ada and Eddie, the pair most sync tests need, as `startAdaAndAnotherBehindProxies` starts them. */
export function startAdaAndEddieBehindProxies(browser: Browser) {
  return startAdaAndAnotherBehindProxies(browser, EDDIE);
}

/**
 * Ada and `second` on a team server, each with a core of their own (named by their first name) in a
 * browser context of their own, signed in through a proxy each (`proxyA`, `proxyB`) that can take them
 * offline. `close` ends them all.
 */
export async function startAdaAndAnotherBehindProxies(browser: Browser, second: TeamPerson) {
  const { server, close: closeServer } = await startTeamServer();
  await server.createUser(ADA);
  await server.createUser(second);
  const proxyA = await TcpProxy.start(server.url);
  const proxyB = await TcpProxy.start(server.url);
  const a = await startApp('Ada', { sync: { timing: FAST_SYNC } });
  const b = await startApp(second.name.split(' ')[0]!, { sync: { timing: FAST_SYNC } });
  const pageA = await (await newPersonContext(browser)).newPage();
  const pageB = await (await newPersonContext(browser)).newPage();
  const close = async () => {
    await pageA.context().close();
    await pageB.context().close();
    await a.stop();
    await b.stop();
    await proxyA.close();
    await proxyB.close();
    await closeServer();
  };
  try {
    await pageA.goto(a.app.url);
    await pageB.goto(b.app.url);
    await signIn(pageA, proxyA.url, ADA.username, ADA.password);
    await signIn(pageB, proxyB.url, second.username, second.password);
  } catch (error) {
    await close();
    throw error;
  }
  return { server, proxyA, proxyB, a, b, pageA, pageB, close };
}
