import type { Browser, Locator, Page } from '@playwright/test';
import type { SyncTiming } from '../../main/sync';
import { TcpProxy } from '../sync/tcp-proxy';
import type { Role } from '../../shared/protocol';
import { expect, openScreenNamed, startApp, type RunningApp } from './fixtures';
import { FAST_SYNC, newPersonContext, signIn, startTeamServer, teamPerson } from './sync-fixtures';

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
    const person = teamPerson(name, name === 'Ada' ? 'admin' : 'editor');
    await server.createUser(person);
    const proxy = await TcpProxy.start(server.url);
    const { app, stop } = await startApp(name, { sync: { timing: { ...FAST_SYNC, ...timing } } });
    const page = await (await newPersonContext(browser)).newPage();
    stops.push(async () => {
      await page.context().close();
      await stop();
      await proxy.close();
    });
    await page.goto(app.url);
    await signIn(page, proxy.url, person.username);
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

/**
 * An admin's page (`admin`) changes `username`'s role to `role` while `question` is open on theirs, its
 * `confirm` button enabled: the open question follows the role at once, says `lost` (why, and that nothing
 * was done) and disables `confirm`; Cancel closes it.
 */
export async function loseRoleWhileOpen(
  admin: Page,
  change: { username: string; role: Role },
  question: Locator,
  confirm: Locator,
  lost: string,
): Promise<void> {
  await expect(confirm).toBeEnabled();
  await changeRole(admin, change.username, change.role);
  await expect(question.getByRole('alert')).toHaveText(lost, { timeout: 20_000 });
  await expect(confirm).toBeDisabled();
  await question.getByRole('button', { name: 'Cancel' }).click();
}

/** Rex, a dog `a` moved to the trash, once `b` has it in its trash too. */
export async function trashRexSeenBy(a: RunningApp, b: RunningApp): Promise<void> {
  const rex = await a.caller.entities.create({ type: 'dog', fields: { name: 'Rex' } });
  await a.caller.trash.trash({ items: [{ type: 'dog', id: rex.id }] });
  await expect.poll(async () => (await b.caller.trash.list({ limit: 10 })).items.length, { timeout: 20_000 }).toBe(1);
}
