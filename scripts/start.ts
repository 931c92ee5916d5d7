import { spawn } from 'node:child_process';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { openCore } from '../main/core';
import { ensureRendererBuilt, profileLaunchToken, startBrowserHost } from '../main/browser-host';
import { chooseStartMode, electronBindingBuilder, electronInstaller } from '../main/launch';

/**
 * `npm start`: the desktop app where the Electron binary is installed or can be fetched (once, with
 * electron's own installer, then better-sqlite3 is built for Electron once), otherwise browser mode on
 * 127.0.0.1 over a local data folder (no server needed), saying why in one line.
 * CURIO_BROWSER=1 forces browser mode; PORT picks its port (default 5310, 0 = any free port).
 * The address keeps the profile's launch secret across restarts, so open tabs reconnect;
 * `--new-address` makes a new secret (addresses printed before stop working).
 */
const projectDir = resolve(import.meta.dirname, '..');

/** One line per step; on a terminal the step's line rewrites itself as it goes (a download's elapsed time). */
let step: string | null = null;
const progress = (line: string) => {
  const next = line.split('…')[0]!;
  if (process.stdout.isTTY) process.stdout.write(`${step !== null && next !== step ? '\n' : '\r\x1b[K'}${line}`);
  else if (next !== step) console.log(line);
  step = next;
};
const start = await chooseStartMode({
  env: process.env,
  electron: electronInstaller(projectDir),
  binding: electronBindingBuilder(projectDir),
  progress,
});
if (step !== null && process.stdout.isTTY) process.stdout.write('\n');

if (start.mode === 'electron') {
  const electronVite = join(projectDir, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  const child = spawn(process.execPath, [electronVite, 'dev'], { cwd: projectDir, stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  const rendererDir = await ensureRendererBuilt(projectDir, { force: process.argv.includes('--rebuild') });
  const dataDir = resolve(process.env.CURIO_DATA_DIR ?? join(projectDir, '.curio', 'profile'));
  const name = userInfo().username || 'Local user';
  const core = await openCore({ dataDir, actor: { id: `local:${name}`, name, role: 'admin' }, dailySnapshots: true });
  const renew = process.argv.includes('--new-address');
  const launch = await profileLaunchToken(dataDir, { renew });
  const host = await startBrowserHost({
    core,
    port: Number(process.env.PORT ?? 5310),
    rendererDir,
    token: launch.token,
  });
  console.log(`Curio is running in browser mode: ${start.reason}.`);
  console.log(`Data folder: ${dataDir}`);
  console.log(`Open this address in your browser (it carries this profile's secret token):\n\n  ${host.url}\n`);
  if (renew) console.log('A new secret: tabs opened with an earlier address ask for this one.');
  else if (!launch.fresh) console.log('The same address as the last run of this profile: open tabs reconnect.');
  console.log('`npm start -- --new-address` makes a new secret; addresses printed before then stop working.\n');
  const stop = async () => {
    await host.close();
    await core.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}
