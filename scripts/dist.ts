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

// electron-builder rebuilds the native SQLite modules for Electron in place (npmRebuild): the local store's
// (better-sqlite3-multiple-ciphers) and the server's (better-sqlite3). Node's builds are put back afterwards
// so that the tests, browser mode and the server keep working without a rebuild.
const savedDir = mkdtempSync(join(tmpdir(), 'curio-dist-'));
const nodeBindings = ['better-sqlite3-multiple-ciphers', 'better-sqlite3'].map((name) => ({
  file: join(projectDir, 'node_modules', name, 'build', 'Release', 'better_sqlite3.node'),
  saved: join(savedDir, `${name}.node`),
}));
for (const { file, saved } of nodeBindings) if (existsSync(file)) copyFileSync(file, saved);

const cli = join(projectDir, 'node_modules', 'electron-builder', 'cli.js');
const child = spawn(process.execPath, [cli, '--publish', 'never', ...process.argv.slice(2)], {
  cwd: projectDir,
  env: { ...process.env, CURIO_UPDATE_URL: feed || PLACEHOLDER_FEED },
  stdio: 'inherit',
});
child.on('exit', (code) => {
  for (const { file, saved } of nodeBindings) if (existsSync(saved)) copyFileSync(saved, file);
  rmSync(savedDir, { recursive: true, force: true });
  process.exit(code ?? 1);
});
