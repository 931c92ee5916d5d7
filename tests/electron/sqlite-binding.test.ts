import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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
        '/project/node_modules/.curio-electron-binding/better-sqlite3-12.11.1-electron-45.4.1-linux-x64',
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
