import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** The installed `electron` package's folder, or null where it is not installed. */
export function electronPackageDir(projectDir: string): string | null {
  try {
    return join(createRequire(join(projectDir, 'package.json')).resolve('electron/package.json'), '..');
  } catch {
    return null;
  }
}

/**
 * The path of the installed Electron binary, or null where the package is installed without it
 * (`npm ci` runs no unapproved install script, or ELECTRON_SKIP_BINARY_DOWNLOAD).
 */
export function electronBinaryPath(projectDir: string): string | null {
  const packageDir = electronPackageDir(projectDir);
  if (!packageDir) return null;
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}
