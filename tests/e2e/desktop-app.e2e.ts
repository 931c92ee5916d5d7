import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { _electron as electron, type ElectronApplication, type Page } from '@playwright/test';
import { readWindowState, WINDOW_STATE_FILE } from '../../main/electron/window-state-store';
import { electronBinaryPath, electronBindingOf } from '../../main/launch';
import { profileDatabaseFiles } from '../../main/recovery/profile-files';
import { isPlainDatabaseFile } from '../../main/storage';
import { growPastTheOpenCheck } from '../core/fixtures/damage';
import { copyEntryLink, createPerson, expectEditing, expectPersonListed } from './desktop-steps';
import { expect, test } from './fixtures';

const projectDir = resolve(import.meta.dirname, '../..');
const binary = electronBinaryPath(projectDir);

/** Why the desktop test cannot run here, or null when it can. */
function cannotRun(): string | null {
  if (!binary) return 'No Electron binary installed (ELECTRON_SKIP_BINARY_DOWNLOAD); this test runs wherever one is.';
  // The storage loads better-sqlite3's Electron build from a folder of its own, which `npm start` makes.
  const binding = electronBindingOf(projectDir);
  if (!binding || !existsSync(binding.file))
    return 'better-sqlite3 is not built for Electron yet: run `npm start` once.';
  return null;
}

function appEnv(userData: string): Record<string, string> {
  const env = { ...process.env, CURIO_USER_DATA: userData } as Record<string, string>;
  delete env.ELECTRON_RENDERER_URL;
  delete env.ELECTRON_RUN_AS_NODE;
  return env;
}
// Chromium refuses to start its sandbox as root (CI containers); the app's own settings stay as they are.
const rootArgs = process.getuid?.() === 0 ? ['--no-sandbox'] : [];

/** Starts the app on a data folder; `link` is passed as the OS passes a clicked curio:// link. */
/** A fresh user-data folder (the app's profile and window state) for one test, removed after it. */
async function inUserData(run: (userData: string) => Promise<void>): Promise<void> {
  const userData = await mkdtemp(join(tmpdir(), 'curio-desktop-'));
  try {
    await run(userData);
  } finally {
    await rm(userData, { recursive: true, force: true });
  }
}

async function launch(userData: string, link?: string): Promise<{ app: ElectronApplication; page: Page }> {
  const args = [...rootArgs, projectDir, ...(link ? [link] : [])];
  const app = await electron.launch({ executablePath: binary!, args, env: appEnv(userData), cwd: projectDir });
  const page = await app.firstWindow();
  await expect(page).toHaveTitle('Curio');
  return { app, page };
}

test.describe('desktop app (Electron)', () => {
  const reason = cannotRun();
  // The list reporter does not print skip reasons; say it once where the run is read.
  if (reason && process.env.TEST_WORKER_INDEX !== undefined) console.log(`Desktop app test skipped: ${reason}`);
  test.skip(reason !== null, reason ?? '');

  test.beforeAll(() => {
    const build = spawnSync(
      process.execPath,
      [join(projectDir, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'],
      {
        cwd: projectDir,
        stdio: 'inherit',
      },
    );
    expect(build.status, 'electron-vite build').toBe(0);
  });

  test('creates an entry and finds it again after a restart', async () => {
    await inUserData(async (userData) => {
      const first = await launch(userData);
      // The page sees the tRPC bridge and nothing of Node or Electron (node types have no `window`).
      const page = await first.page.evaluate(() => {
        const global = globalThis as unknown as Record<string, unknown> & { location: { origin: string } };
        return {
          bridge: Object.keys((global.curio as object | undefined) ?? {}),
          require: typeof global.require,
          process: typeof global.process,
          origin: global.location.origin,
        };
      });
      expect(page).toEqual({ bridge: ['trpc'], require: 'undefined', process: 'undefined', origin: 'app://curio' });
      await createPerson(first.page, 'Ada Lovelace');
      await first.app.close();

      const second = await launch(userData);
      await expectPersonListed(second.page, 'Ada Lovelace');
      await second.app.close();
    });
  });

  test('a curio:// link opens its entry at launch and from a second launch', async () => {
    await inUserData(async (userData) => {
      const first = await launch(userData);
      await createPerson(first.page, 'Ada Lovelace');
      const ada = await copyEntryLink(first.page);
      expect(ada).toMatch(/^curio:\/\/entry\/person\/[0-9a-f-]{36}$/);
      await first.app.close();

      const second = await launch(userData, ada);
      await expectEditing(second.page, 'Ada Lovelace');
      await createPerson(second.page, 'Grace Hopper');
      // A second launch with a link finds this data folder taken: it hands the link over and quits.
      const handOver = spawnSync(binary!, [...rootArgs, projectDir, ada], { env: appEnv(userData), timeout: 60_000 });
      expect(handOver.status).toBe(0);
      await expectEditing(second.page, 'Ada Lovelace');
      await second.app.close();
    });
  });

  test('the window comes back with the size it had', async () => {
    await inUserData(async (userData) => {
      const first = await launch(userData);
      await first.app.evaluate(({ BrowserWindow }) =>
        BrowserWindow.getAllWindows()[0]!.setBounds({ x: 40, y: 30, width: 1000, height: 700 }),
      );
      await first.app.close();
      const saved = readWindowState(join(userData, WINDOW_STATE_FILE));
      expect(Object.values(saved.displaySets)).toEqual([expect.objectContaining({ maximized: false })]);

      const second = await launch(userData);
      const bounds = await second.app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.getBounds());
      expect(bounds).toMatchObject({ width: 1000, height: 700 });
      await second.app.close();
    });
  });

  // Issue 14: the built integrity-worker.js, started by the built main bundle, in Electron's main process.
  test("a big profile's database check runs in the built worker thread", async () => {
    await inUserData(async (userData) => {
      const first = await launch(userData);
      await createPerson(first.page, 'Ada Lovelace');
      await first.app.close();
      const { catalog } = await profileDatabaseFiles(join(userData, 'profile'));
      test.skip(!isPlainDatabaseFile(catalog), 'The OS keyring encrypted the profile; growing it needs a plain one.');
      // Past the size the check at open covers: quick_check runs in the worker once the profile is open.
      growPastTheOpenCheck(catalog);

      const second = await launch(userData);
      await second.page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('button', { name: /^Settings/ })
        .click();
      await expect(second.page.getByLabel('last automatic check')).toContainText('no problems found', {
        timeout: 60_000,
      });
      await second.app.close();
    });
  });
});

test('the desktop test steps work on the same renderer in browser mode', async ({ page, app }) => {
  await page.goto(app.url);
  await createPerson(page, 'Ada Lovelace');
  const link = await copyEntryLink(page);
  await page.reload();
  await expectPersonListed(page, 'Ada Lovelace');
  await page.goto(link);
  await expectEditing(page, 'Ada Lovelace');
});
