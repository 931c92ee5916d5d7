import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Options } from 'better-sqlite3-multiple-ciphers';
import { StorageFileError } from './errors';

/** The SQLite module the local store runs on: better-sqlite3's API, built with SQLite3 Multiple Ciphers. */
export const SQLITE_PACKAGE = 'better-sqlite3-multiple-ciphers';

/**
 * The SQLite module is native, compiled for one ABI. Its own build (node_modules/<SQLITE_PACKAGE>/build)
 * stays Node's, for the tests and browser mode; `npm start` builds a second copy for Electron into this
 * folder beside it, and the storage loads the one that fits the runtime it runs in. Installed apps need
 * neither: electron-builder rebuilds the module for Electron when it packages it.
 */
export const ELECTRON_BINDING_FOLDER = '.curio-electron-binding';

/** What an Electron build of better-sqlite3 is built for (one folder each, so an upgrade never loads a stale one). */
export interface ElectronBindingTarget {
  sqliteVersion: string;
  electronVersion: string;
  platform: string;
  arch: string;
}

/** Where the Electron build for `target` lives: the one place both the start script and the storage read. */
export function electronBindingFile(nodeModulesDir: string, target: ElectronBindingTarget): string {
  const { sqliteVersion, electronVersion, platform, arch } = target;
  const name = `${SQLITE_PACKAGE}-${sqliteVersion}-electron-${electronVersion}-${platform}-${arch}`;
  return path.join(nodeModulesDir, ELECTRON_BINDING_FOLDER, name, 'better_sqlite3.node');
}

/** The runtime the storage runs in. */
export interface SqliteRuntime {
  /** `process.versions.electron`: undefined under Node. */
  electronVersion: string | undefined;
  /** An installed app, whose better-sqlite3 electron-builder rebuilt for Electron. */
  packaged: boolean;
  platform: string;
  arch: string;
}

/** Where better-sqlite3 is installed, and how to tell whether a file exists (tests pass fakes). */
export interface SqliteInstall {
  nodeModulesDir: string;
  sqliteVersion: string;
  exists(file: string): boolean;
}

/**
 * The `nativeBinding` for better-sqlite3 in this runtime: undefined for its own build (Node, or a packaged
 * app), the Electron build's path when Electron runs from the project (`npm start`, the desktop e2e test).
 * Throws, naming the file and the fix, when that build is missing.
 */
export function sqliteBindingFor(runtime: SqliteRuntime, install: SqliteInstall): string | undefined {
  const { electronVersion, packaged, platform, arch } = runtime;
  if (electronVersion === undefined || packaged) return undefined;
  const file = electronBindingFile(install.nodeModulesDir, {
    sqliteVersion: install.sqliteVersion,
    electronVersion,
    platform,
    arch,
  });
  if (install.exists(file)) return file;
  throw new StorageFileError(
    'NATIVE_BINDING_MISSING',
    file,
    `better-sqlite3 is not built for Electron ${electronVersion} (${platform}-${arch}): ${file} is missing. ` +
      'Start Curio with `npm start`, which builds it once.',
  );
}

function currentRuntime(): SqliteRuntime {
  const electronVersion = process.versions.electron;
  // Electron sets `defaultApp` when it runs an app folder given on its command line (development);
  // an installed app has no such flag.
  const fromProject = (process as { defaultApp?: boolean }).defaultApp === true;
  return { electronVersion, packaged: electronVersion !== undefined && !fromProject, ...platformOf() };
}

const platformOf = () => ({ platform: process.platform, arch: process.arch });

function currentInstall(): SqliteInstall {
  const packageFile = createRequire(import.meta.url).resolve(`${SQLITE_PACKAGE}/package.json`);
  const { version } = JSON.parse(fs.readFileSync(packageFile, 'utf8')) as { version: string };
  return { nodeModulesDir: path.dirname(path.dirname(packageFile)), sqliteVersion: version, exists: fs.existsSync };
}

let chosen: { binding: string | undefined } | undefined;

/** This runtime's binding (chosen once per thread): undefined for better-sqlite3's own build. */
export function chosenSqliteBinding(): string | undefined {
  chosen ??= { binding: sqliteBindingFor(currentRuntime(), currentInstall()) };
  return chosen.binding;
}

/**
 * In a worker thread, before its first connection: use the binding the thread that started it chose.
 * NOTE: Electron sets `process.defaultApp` on the main thread's `process` only; a worker has its own
 * `process` without it, so it would take a development run (`npm start`) for an installed app and load
 * the build for Node.
 */
export function useSqliteBinding(binding: string | undefined): void {
  chosen = { binding };
}

/** better-sqlite3's options with this runtime's binding. */
export function withBinding(options: Options = {}): Options {
  const binding = chosenSqliteBinding();
  return binding === undefined ? options : { ...options, nativeBinding: binding };
}
