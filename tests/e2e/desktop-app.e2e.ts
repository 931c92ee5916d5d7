import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { _electron as electron, type ElectronApplication, type Page } from '@playwright/test';
import { electronBinaryPath, electronBindingOf } from '../../main/launch';
import { createPerson, expectPersonListed } from './desktop-steps';
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

async function launch(userData: string): Promise<{ app: ElectronApplication; page: Page }> {
  const env = { ...process.env, CURIO_USER_DATA: userData } as Record<string, string>;
  delete env.ELECTRON_RENDERER_URL;
  delete env.ELECTRON_RUN_AS_NODE;
  // Chromium refuses to start its sandbox as root (CI containers); the app's own settings stay as they are.
  const rootArgs = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
  const app = await electron.launch({ executablePath: binary!, args: [...rootArgs, projectDir], env, cwd: projectDir });
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
    const userData = await mkdtemp(join(tmpdir(), 'curio-desktop-'));
    try {
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
    } finally {
      await rm(userData, { recursive: true, force: true });
    }
  });
});

test('the desktop test steps work on the same renderer in browser mode', async ({ page, app }) => {
  await page.goto(app.url);
  await createPerson(page, 'Ada Lovelace');
  await page.reload();
  await expectPersonListed(page, 'Ada Lovelace');
});
