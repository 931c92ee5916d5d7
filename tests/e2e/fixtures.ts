import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import { startBrowserHost } from '../../main/browser-host';
import { openCore, type CoreOptions } from '../../main/core';
import { openScreenNamed } from './navigation';

const root = resolve(import.meta.dirname, '../..');
export const RENDERER_DIR = join(root, 'out', 'renderer');

export type Core = Awaited<ReturnType<typeof openCore>>;

export interface RunningApp {
  /** The address with the launch token, as `npm start` prints it. */
  url: string;
  core: Core;
  caller: ReturnType<Core['createCaller']>;
}

/** Opens a fresh core in a temporary folder and serves it in browser mode on a free port. */
export async function startApp(
  name = 'Alex Admin',
  options: { sync?: CoreOptions['sync'] } = {},
): Promise<{ app: RunningApp; stop: () => Promise<void> }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'curio-e2e-'));
  const core = await openCore({
    dataDir,
    actor: { id: `e2e:${name}`, name, role: 'admin' },
    deviceName: `${name}'s browser`,
    ...(options.sync ? { sync: options.sync } : {}),
  });
  const host = await startBrowserHost({ core, port: 0, rendererDir: RENDERER_DIR });
  return {
    app: { url: host.url, core, caller: core.createCaller() },
    stop: async () => {
      await host.close();
      await core.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Every test gets its own profile: tests never depend on each other. */
export const test = base.extend<{ app: RunningApp }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright fixtures must destructure their dependencies.
  app: async ({}, use) => {
    const { app, stop } = await startApp();
    await use(app);
    await stop();
  },
});

export { expect };

/** Saves a full-page screenshot with the test's results (test-results/). */
export async function snap(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: test.info().outputPath(`${name}.png`), fullPage: true });
}

export { openScreenNamed };

/**
 * Opens a screen from the main navigation ("Trash", "Settings", a library's "Videos", …), as a person would,
 * and waits for its heading (`heading`, where it differs from the button's label).
 */
export async function openScreen(page: Page, label: string, heading = label): Promise<void> {
  await openScreenNamed(page, label);
  await expect(page.getByRole('heading', { level: 2, name: heading })).toBeVisible();
}

/** Opens a library screen from the navigation, as a user would. */
export async function openLibrary(page: Page, pluralLabel: string): Promise<void> {
  await openScreen(page, pluralLabel);
}

/** Opens the Audit screen from the navigation, as a user would. */
export async function openAudit(page: Page): Promise<void> {
  await openScreen(page, 'Audit');
}

/** Opens the Import and export screen from the navigation, as a user would. */
export async function openTransfer(page: Page): Promise<void> {
  await openScreen(page, 'Import and export');
}
