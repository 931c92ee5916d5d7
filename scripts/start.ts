import { spawn } from 'node:child_process';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { openCore } from '../main/core';
import { electronBinaryPath, ensureRendererBuilt, profileLaunchToken, startBrowserHost } from '../main/browser-host';

/**
 * `npm start`: the desktop app where the Electron binary is installed, otherwise
 * browser mode on 127.0.0.1 over a local data folder (no server needed).
 * CURIO_BROWSER=1 forces browser mode; PORT picks its port (default 5310, 0 = any free port).
 * The address keeps the profile's launch secret across restarts, so open tabs reconnect;
 * `--new-address` makes a new secret (addresses printed before stop working).
 */
const projectDir = resolve(import.meta.dirname, '..');

if (electronBinaryPath(projectDir) && process.env.CURIO_BROWSER !== '1') {
  const electronVite = join(projectDir, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  const child = spawn(process.execPath, [electronVite, 'dev'], { cwd: projectDir, stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  const rendererDir = await ensureRendererBuilt(projectDir, { force: process.argv.includes('--rebuild') });
  const dataDir = resolve(process.env.CURIO_DATA_DIR ?? join(projectDir, '.curio', 'profile'));
  const name = userInfo().username || 'Local user';
  const core = await openCore({ dataDir, actor: { id: `local:${name}`, name, role: 'admin' } });
  const renew = process.argv.includes('--new-address');
  const launch = await profileLaunchToken(dataDir, { renew });
  const host = await startBrowserHost({
    core,
    port: Number(process.env.PORT ?? 5310),
    rendererDir,
    token: launch.token,
  });
  console.log(`Curio is running in browser mode (no Electron binary here).`);
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
