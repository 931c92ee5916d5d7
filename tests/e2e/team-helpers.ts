import { readFile } from 'node:fs/promises';
import type { Browser, Download, Page } from '@playwright/test';
import { expect, openScreenNamed, startApp, type RunningApp } from './fixtures';
import {
  createAdaAndEddie,
  FAST_SYNC,
  newPersonContext,
  PASSWORD,
  signIn,
  startTeamServer,
  syncBadge,
  type TeamServer,
} from './sync-fixtures';

export interface Device {
  app: RunningApp;
  page: Page;
  /** Closes this device early. NOTE: RxDB's open edition allows 16 open collections per process, about two cores. */
  close(): Promise<void>;
}

/**
 * A real sync server with Ada (admin) and Eddie (editor), and as many devices as a test opens: each
 * its own core and browser context, signed in through the sync form. `close` ends them all.
 */
export async function startTeamAdmin(browser: Browser) {
  const { server, close: closeServer } = await startTeamServer();
  await createAdaAndEddie(server);
  const stops: (() => Promise<void>)[] = [];
  /** A device of `name` (its core's device name is "<name>'s browser"), not signed in. */
  async function device(name: string): Promise<Device> {
    const { app, stop } = await startApp(name, { sync: { timing: FAST_SYNC } });
    const context = await newPersonContext(browser);
    const page = await context.newPage();
    let closed: Promise<void> | null = null;
    const close = () =>
      (closed ??= (async () => {
        await context.close();
        await stop();
      })());
    stops.push(close);
    await page.goto(app.url);
    return { app, page, close };
  }
  async function signedIn(name: string, username: string, password = PASSWORD): Promise<Device> {
    const opened = await device(name);
    await signIn(opened.page, server.url, username, password);
    return opened;
  }
  return {
    server: server as TeamServer,
    device,
    signedIn,
    async close() {
      for (const stop of stops.reverse()) await stop();
      await closeServer();
    },
  };
}

/** Runs a test body with a fresh team (server, Ada, Eddie) and closes every device afterwards. */
export async function withTeam(browser: Browser, body: (team: Team) => Promise<void>): Promise<void> {
  const team = await startTeamAdmin(browser);
  try {
    await body(team);
  } finally {
    await team.close();
  }
}

export type Team = Awaited<ReturnType<typeof startTeamAdmin>>;

/** A device the server signed out signs in again from the Sync screen; the badge says "In sync". */
export async function signInAgain(page: Page, password: string): Promise<void> {
  await openScreenNamed(page, 'Sync');
  const form = page.getByRole('form', { name: 'Sign in to a sync server' });
  await form.getByLabel('Password').fill(password);
  await form.getByRole('button', { name: 'Sign in' }).click();
  await expect(syncBadge(page)).toHaveAccessibleName(/^Sync status: In sync/, { timeout: 20_000 });
}

/** Opens the Team screen and waits for the user list. */
export async function openTeam(page: Page) {
  await openScreenNamed(page, 'Team');
  const users = page.getByRole('table', { name: 'Users' });
  await expect(users).toBeVisible();
  return users;
}

/** The setup link the admin sees once, read off the screen as the admin would copy it; then Done. */
export async function shownSetupLink(page: Page, username: string): Promise<string> {
  const shown = page.getByRole('dialog', { name: `Setup code for ${username}` });
  await expect(shown).toContainText('It is shown only now');
  const link = (await shown.getByLabel('Setup link').textContent()) ?? '';
  await shown.getByRole('button', { name: 'Done' }).click();
  await expect(shown).toBeHidden();
  return link;
}

/** Pastes a setup link into the sign-in form's code field and chooses `password`; returns the form. */
export async function fillSetupSignIn(page: Page, link: string, password: string) {
  await syncBadge(page).click();
  const form = page.getByRole('form', { name: 'Sign in to a sync server' });
  await form.getByLabel('I have a setup code from an admin').check();
  await form.getByRole('textbox', { name: /^Setup code/ }).fill(link);
  await form.getByLabel('Choose a password').fill(password);
  return form;
}

/** Waits until the server ended this device's session: the badge asks to sign in again. */
export async function expectSignedOutByServer(page: Page): Promise<void> {
  await expect(syncBadge(page)).toHaveAccessibleName(/^Sync status: Sign in again/, { timeout: 30_000 });
}

/** The text of a file the page downloaded. */
export async function downloadedText(download: Download): Promise<string> {
  const path = await download.path();
  return readFile(path, 'utf8');
}
