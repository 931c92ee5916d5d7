import { readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { electronBindingFile, sqliteBindingFor, StorageFileError, type SqliteRuntime } from '../../main/storage';

const install = (present: string[]) => ({
  nodeModulesDir: '/project/node_modules',
  sqliteVersion: '12.11.1',
  exists: (file: string) => present.includes(file),
});
const node: SqliteRuntime = { electronVersion: undefined, packaged: false, platform: 'linux', arch: 'x64' };
const electronDev: SqliteRuntime = { ...node, electronVersion: '45.4.1' };
const built = electronBindingFile('/project/node_modules', {
  sqliteVersion: '12.11.1',
  electronVersion: '45.4.1',
  platform: 'linux',
  arch: 'x64',
});

describe("better-sqlite3's binding for the runtime", () => {
  it("uses the module's own build under Node (tests, browser mode)", () => {
    expect(sqliteBindingFor(node, install([built]))).toBeUndefined();
  });

  it('uses the Electron build from its own folder when Electron runs from the project', () => {
    expect(built).toBe(
      join(
        '/project/node_modules/.curio-electron-binding/better-sqlite3-multiple-ciphers-12.11.1-electron-45.4.1-linux-x64',
        'better_sqlite3.node',
      ),
    );
    expect(sqliteBindingFor(electronDev, install([built]))).toBe(built);
  });

  it("uses the module's own build in a packaged app (electron-builder rebuilt it)", () => {
    expect(sqliteBindingFor({ ...electronDev, packaged: true }, install([]))).toBeUndefined();
  });

  it('says which file is missing and how to make it when the Electron build is absent', () => {
    let error: unknown;
    try {
      sqliteBindingFor(electronDev, install([]));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(StorageFileError);
    expect(error).toMatchObject({ code: 'BAD_FILE', problem: 'NATIVE_BINDING_MISSING', path: built });
    expect((error as Error).message).toBe(
      `better-sqlite3 is not built for Electron 45.4.1 (linux-x64): ${built} is missing. ` +
        'Start Curio with `npm start`, which builds it once.',
    );
  });
});

describe('the storage under Electron from the project (process.versions.electron, process.defaultApp)', () => {
  const electronVersion = '0.0.0-curio-test';
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'curio-binding-'));
    Object.defineProperty(process.versions, 'electron', { value: electronVersion, configurable: true });
    Object.defineProperty(process, 'defaultApp', { value: true, configurable: true });
    vi.resetModules(); // the binding is chosen once per process: a fresh storage module chooses again
  });
  afterEach(async () => {
    delete (process.versions as { electron?: string }).electron;
    delete (process as { defaultApp?: boolean }).defaultApp;
    vi.resetModules();
    await rm(dir, { recursive: true, force: true });
  });

  const sqliteDir = dirname(createRequire(import.meta.url).resolve('better-sqlite3-multiple-ciphers/package.json'));
  const target = () => ({
    sqliteVersion: JSON.parse(readFileSync(join(sqliteDir, 'package.json'), 'utf8')).version,
    electronVersion,
    platform: process.platform,
    arch: process.arch,
  });

  it('refuses to open a database, naming the missing Electron build', async () => {
    const { openDatabaseFile } = await import('../../main/storage/sqlite-file');
    expect(() => openDatabaseFile(join(dir, 'a.curio.sqlite'), null)).toThrow(
      expect.objectContaining({
        problem: 'NATIVE_BINDING_MISSING',
        path: electronBindingFile(dirname(sqliteDir), target()),
      }),
    );
  });

  it('opens it with the build in the Electron folder', async () => {
    // Node's own build stands in for Electron's: what matters is which file the storage loads.
    const file = electronBindingFile(dirname(sqliteDir), target());
    await mkdir(dirname(file), { recursive: true });
    await copyFile(join(sqliteDir, 'build', 'Release', 'better_sqlite3.node'), file);
    try {
      const { openDatabaseFile } = await import('../../main/storage/sqlite-file');
      const db = openDatabaseFile(join(dir, 'b.curio.sqlite'), null);
      db.close();
      // Linux lists the shared objects a process loaded: the storage loaded that very file.
      if (process.platform === 'linux') expect(readFileSync('/proc/self/maps', 'utf8')).toContain(file);
    } finally {
      await rm(dirname(file), { recursive: true, force: true });
    }
  });
});
