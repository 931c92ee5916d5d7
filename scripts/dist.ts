import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * `npm run dist` after electron-vite build: electron-builder for this OS, which writes the installers and
 * the update feed's files (latest.yml, latest-mac.yml, latest-linux.yml) into dist/. The installed app
 * looks for updates at CURIO_UPDATE_URL (electron-builder.yml, publish); without it the address is a
 * placeholder where no update will ever be found, and this says so.
 */
const PLACEHOLDER_FEED = 'https://updates.curio.invalid/';
const projectDir = resolve(import.meta.dirname, '..');

const feed = process.env.CURIO_UPDATE_URL;
if (!feed) {
  console.warn(
    `CURIO_UPDATE_URL is not set: these installers look for updates at ${PLACEHOLDER_FEED}, where there are none. ` +
      "Set it to the address where your team hosts dist/'s files (README, Updates).",
  );
}

// electron-builder rebuilds better-sqlite3 for Electron in place (npmRebuild); Node's build is put back
// afterwards so that the tests and browser mode keep working without a rebuild.
const nodeBinding = join(projectDir, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
const saved = join(mkdtempSync(join(tmpdir(), 'curio-dist-')), 'better_sqlite3.node');
if (existsSync(nodeBinding)) copyFileSync(nodeBinding, saved);

const cli = join(projectDir, 'node_modules', 'electron-builder', 'cli.js');
const child = spawn(process.execPath, [cli, '--publish', 'never', ...process.argv.slice(2)], {
  cwd: projectDir,
  env: { ...process.env, CURIO_UPDATE_URL: feed || PLACEHOLDER_FEED },
  stdio: 'inherit',
});
child.on('exit', (code) => {
  if (existsSync(saved)) copyFileSync(saved, nodeBinding);
  rmSync(resolve(saved, '..'), { recursive: true, force: true });
  process.exit(code ?? 1);
});
