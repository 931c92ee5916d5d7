import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The built renderer browser mode serves; built once with Vite when missing. */
export async function ensureRendererBuilt(projectDir: string, options: { force?: boolean } = {}): Promise<string> {
  const rendererDir = join(projectDir, 'out', 'renderer');
  if (options.force || !existsSync(join(rendererDir, 'index.html'))) {
    const vite = join(projectDir, 'node_modules', 'vite', 'bin', 'vite.js');
    await run(process.execPath, [vite, 'build', '--config', join(projectDir, 'renderer', 'vite.config.ts')], {
      cwd: projectDir,
    });
  }
  return rendererDir;
}
