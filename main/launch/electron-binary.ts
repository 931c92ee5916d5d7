import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/**
 * The path of the installed Electron binary, or null where the package is installed
 * without it (ELECTRON_SKIP_BINARY_DOWNLOAD), which is when `npm start` uses browser mode.
 */
export function electronBinaryPath(projectDir: string): string | null {
  try {
    const packageDir = join(createRequire(join(projectDir, 'package.json')).resolve('electron/package.json'), '..');
    const pathFile = join(packageDir, 'path.txt');
    if (!existsSync(pathFile)) return null;
    const binary = join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
    return existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}
