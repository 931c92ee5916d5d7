import type { Browser, Page } from '@playwright/test';
import type { SyncTiming } from '../../main/sync';
import { TcpProxy } from '../sync/tcp-proxy';
import type { Role } from '../../shared/protocol';
import { expect, startApp, type RunningApp } from './fixtures';
import { FAST_SYNC, newPersonContext, PASSWORD, signIn, startTeamServer } from './sync-fixtures';

/** The sync badge in the header, whose accessible name carries the status words. */
export { syncBadge as badge } from './sync-fixtures';

export interface Member {
  app: RunningApp;
  page: Page;
  /** This member's way to the server: it can cut or silence the connection. */
  proxy: TcpProxy;
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
  const { server, close: closeServer } = await startTeamServer();
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
    const { app, stop } = await startApp(name, { sync: { timing: { ...FAST_SYNC, ...timing } } });
    const page = await (await newPersonContext(browser)).newPage();
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
      await closeServer();
    },
  };
}

/** Opens a screen from the main navigation. */
export async function openScreenNamed(page: Page, name: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: new RegExp(`^${name}`) })
    .click();
}

/** An admin's page changes a teammate's role on the Team screen and confirms it. */
export async function changeRole(page: Page, username: string, role: Role): Promise<void> {
  await openScreenNamed(page, 'Team');
  await page.getByLabel(`Role of ${username}`).selectOption(role);
  await page
    .getByRole('dialog')
    .getByRole('button', { name: `Change role to ${role}` })
    .click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
}

/** Rex, a dog `a` moved to the trash, once `b` has it in its trash too. */
export async function trashRexSeenBy(a: RunningApp, b: RunningApp): Promise<void> {
  const rex = await a.caller.entities.create({ type: 'dog', fields: { name: 'Rex' } });
  await a.caller.trash.trash({ items: [{ type: 'dog', id: rex.id }] });
  await expect.poll(async () => (await b.caller.trash.list({ limit: 10 })).items.length, { timeout: 20_000 }).toBe(1);
}
