import { existsSync, readFileSync } from 'node:fs';
import { copyFile, cp, mkdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { ELECTRON_BINDING_FOLDER, electronBindingFile, SQLITE_PACKAGE } from '../storage';
import { electronPackageDir } from './electron-binary';
import type { ElectronBindingBuilder } from './start-mode';

/** @electron/rebuild's entry point, or a stand-in in tests. */
export type Rebuild = (options: {
  buildPath: string;
  electronVersion: string;
  arch: string;
  onlyModules: string[];
  force: boolean;
}) => Promise<unknown>;

const rebuildWithElectronRebuild: Rebuild = async (options) => {
  const { rebuild } = await import('@electron/rebuild');
  await rebuild(options);
};

const versionOf = (packageDir: string) =>
  (JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string }).version;

/** Where the project's Electron build of the SQLite module (SQLITE_PACKAGE) goes (null without the electron package). */
export function electronBindingOf(projectDir: string) {
  const electronDir = electronPackageDir(projectDir);
  if (!electronDir) return null;
  const sqliteDir = dirname(createRequire(join(projectDir, 'package.json')).resolve(`${SQLITE_PACKAGE}/package.json`));
  const target = {
    sqliteVersion: versionOf(sqliteDir),
    electronVersion: versionOf(electronDir),
    platform: process.platform,
    arch: process.arch,
  };
  return { file: electronBindingFile(dirname(sqliteDir), target), sqliteDir, target };
}

/**
 * Builds the SQLite module (SQLITE_PACKAGE) for Electron into node_modules/.curio-electron-binding/<versions>/, leaving
 * the module's own build (Node's, for the tests) alone: @electron/rebuild works on a copy of the module
 * in a staging folder (prebuilt binary for Electron's ABI where one is published, else node-gyp).
 */
export function electronBindingBuilder(projectDir: string, rebuild: Rebuild = rebuildWithElectronRebuild) {
  const builder: ElectronBindingBuilder = {
    async ensure(progress) {
      const planned = electronBindingOf(projectDir);
      if (!planned) return { ok: false, reason: 'the electron package is not installed (npm ci)' };
      const { file, sqliteDir, target } = planned;
      const { electronVersion } = target;
      if (existsSync(file)) return { ok: true };
      const nodeModulesDir = dirname(sqliteDir);

      const stage = join(nodeModulesDir, ELECTRON_BINDING_FOLDER, 'stage');
      progress(
        `Building ${SQLITE_PACKAGE} ${target.sqliteVersion} for Electron ${electronVersion} (once, into ${relative(projectDir, dirname(file))})…`,
      );
      try {
        await rm(stage, { recursive: true, force: true });
        const stagedModule = join(stage, 'node_modules', SQLITE_PACKAGE);
        const ownBuild = join(sqliteDir, 'build');
        // The module's own build/ stays Node's; the copy is built without it.
        await cp(sqliteDir, stagedModule, {
          recursive: true,
          filter: (source) => source !== ownBuild && !source.startsWith(ownBuild + sep),
        });
        const manifest = {
          name: 'curio-electron-binding',
          private: true,
          dependencies: { [SQLITE_PACKAGE]: target.sqliteVersion },
        };
        await writeFile(join(stage, 'package.json'), JSON.stringify(manifest));
        await rebuild({
          buildPath: stage,
          electronVersion,
          arch: process.arch,
          onlyModules: [SQLITE_PACKAGE],
          force: true,
        });
        const built = join(stagedModule, 'build', 'Release', 'better_sqlite3.node');
        if (!existsSync(built)) return { ok: false, reason: `the build left no ${relative(stage, built)}` };
        await mkdir(dirname(file), { recursive: true });
        await copyFile(built, file);
        return { ok: true };
      } catch (error) {
        return { ok: false, reason: firstLine(error) };
      } finally {
        await rm(stage, { recursive: true, force: true });
      }
    },
  };
  return builder;
}

const firstLine = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0]!.trim();
