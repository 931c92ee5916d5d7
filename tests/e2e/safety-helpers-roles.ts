import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import type { SyncTiming } from '../../main/sync';
import { startServer } from '../../server';
import { TcpProxy } from '../sync/tcp-proxy';
import { expect, startApp, type RunningApp } from './fixtures';

const PASSWORD = 'plum-kettle-orbit-42';
/** Fast retries so the tests do not wait on production backoff. */
const FAST: Partial<SyncTiming> = { retryTimeMs: 100, backoff: { initialMs: 50, maxMs: 400 }, idleTimeoutMs: 5000 };

export interface Member {
  app: RunningApp;
  page: Page;
  /** This member's way to the server: it can cut or silence the connection. */
  proxy: TcpProxy;
}

/** The sync badge in the header, whose accessible name carries the status words. */
export function badge(page: Page) {
  return page.getByRole('button', { name: /^Sync status/ });
}

/**
 * A real sync server (heartbeat 1 s) and one core with its own browser context
 * per member, each reaching the server through its own TCP proxy and signed in
 * through the Sync screen. Ada is an admin, everyone else an editor.
 */
export async function startTeam<Name extends string>(
  browser: Browser,
  names: readonly Name[],
  timing: Partial<SyncTiming> = {},
): Promise<{ members: Record<Name, Member>; close(): Promise<void> }> {
  const serverDir = await mkdtemp(join(tmpdir(), 'curio-e2e-server-'));
  const server = await startServer({
    host: '127.0.0.1',
    port: 0,
    dataDir: serverDir,
    logLevel: 'silent',
    heartbeatMs: 1000,
    passwordHashing: { memoryCost: 1024, timeCost: 1 },
  });
  const members = {} as Record<Name, Member>;
  const stops: (() => Promise<void>)[] = [];
  for (const name of names) {
    const username = name.toLowerCase();
    const role = name === 'Ada' ? 'admin' : 'editor';
    await server.createUser({
      username,
      name: `${name} ${role === 'admin' ? 'Admin' : 'Editor'}`,
      password: PASSWORD,
      role,
    });
    const proxy = await TcpProxy.start(server.url);
    const { app, stop } = await startApp(name, { sync: { timing: { ...FAST, ...timing } } });
    const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    stops.push(async () => {
      await page.context().close();
      await stop();
      await proxy.close();
    });
    await page.goto(app.url);
    await signIn(page, proxy.url, username);
    members[name] = { app, page, proxy };
  }
  return {
    members,
    async close() {
      for (const stop of stops) await stop();
      await server.close();
      await rm(serverDir, { recursive: true, force: true });
    },
  };
}

async function signIn(page: Page, serverUrl: string, username: string): Promise<void> {
  await badge(page).click();
  const form = page.getByRole('form', { name: 'Sign in to a sync server' });
  await form.getByLabel('Server address').fill(serverUrl);
  await form.getByLabel('User name').fill(username);
  await form.getByLabel('Password').fill(PASSWORD);
  await form.getByRole('button', { name: 'Sign in' }).click();
  await expect(badge(page)).toHaveAccessibleName(/^Sync status: In sync/, { timeout: 20_000 });
}

/** Opens a screen from the main navigation. */
export async function openScreenNamed(page: Page, name: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: new RegExp(`^${name}`) })
    .click();
}
