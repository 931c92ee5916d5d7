import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  chooseStartMode,
  electronBindingBuilder,
  electronBindingOf,
  electronInstaller,
  type ElectronBindingBuilder,
  type ElectronInstaller,
  type StepOutcome,
} from '../../main/launch';

/** An Electron package whose binary is there, or appears when its installer succeeds. */
function fakeElectron(options: { installed: boolean; fetch?: StepOutcome }) {
  let installed = options.installed;
  const calls: string[] = [];
  const electron: ElectronInstaller = {
    binaryPath: () => (installed ? '/fake/electron' : null),
    async fetch(progress) {
      calls.push('fetch');
      progress('Downloading Electron…');
      const outcome = options.fetch ?? { ok: false, reason: 'not scripted' };
      if (outcome.ok) installed = true;
      return outcome;
    },
  };
  return { electron, calls };
}

function fakeBinding(outcome: StepOutcome = { ok: true }) {
  const calls: string[] = [];
  const binding: ElectronBindingBuilder = {
    async ensure() {
      calls.push('ensure');
      return outcome;
    },
  };
  return { binding, calls };
}

async function decide(env: Record<string, string>, electron: ElectronInstaller, binding: ElectronBindingBuilder) {
  const lines: string[] = [];
  const mode = await chooseStartMode({ env, electron, binding, progress: (line) => lines.push(line) });
  return { mode, lines };
}

describe('npm start: Electron or browser mode', () => {
  it('opens Electron at once when the binary is installed, building nothing but the binding check', async () => {
    const { electron, calls } = fakeElectron({ installed: true });
    const binding = fakeBinding();
    const { mode } = await decide({}, electron, binding.binding);
    expect(mode).toEqual({ mode: 'electron', binary: '/fake/electron' });
    expect(calls).toEqual([]);
    expect(binding.calls).toEqual(['ensure']);
  });

  it("runs electron's installer once when the binary is missing and can be fetched, with a progress line", async () => {
    const { electron, calls } = fakeElectron({ installed: false, fetch: { ok: true } });
    const { mode, lines } = await decide({}, electron, fakeBinding().binding);
    expect(mode).toEqual({ mode: 'electron', binary: '/fake/electron' });
    expect(calls).toEqual(['fetch']);
    expect(lines).toEqual(['Downloading Electron…']);
  });

  it('opens browser mode, saying why in one line, when the binary cannot be fetched', async () => {
    const { electron, calls } = fakeElectron({ installed: false, fetch: { ok: false, reason: 'no connection' } });
    const binding = fakeBinding();
    const { mode } = await decide({}, electron, binding.binding);
    expect(mode).toEqual({ mode: 'browser', reason: 'the Electron binary could not be downloaded: no connection' });
    expect(calls).toEqual(['fetch']);
    expect(binding.calls).toEqual([]);
  });

  it('opens browser mode when better-sqlite3 cannot be built for Electron', async () => {
    const { electron } = fakeElectron({ installed: true });
    const { mode } = await decide({}, electron, fakeBinding({ ok: false, reason: 'no headers' }).binding);
    expect(mode).toEqual({ mode: 'browser', reason: 'better-sqlite3 could not be built for Electron: no headers' });
  });

  it('CURIO_BROWSER=1 forces browser mode; ELECTRON_SKIP_BINARY_DOWNLOAD keeps the installer from running', async () => {
    const forced = fakeElectron({ installed: true });
    expect((await decide({ CURIO_BROWSER: '1' }, forced.electron, fakeBinding().binding)).mode).toEqual({
      mode: 'browser',
      reason: 'CURIO_BROWSER=1 asks for it',
    });
    const skipped = fakeElectron({ installed: false, fetch: { ok: true } });
    const { mode } = await decide({ ELECTRON_SKIP_BINARY_DOWNLOAD: '1' }, skipped.electron, fakeBinding().binding);
    expect(mode).toMatchObject({ mode: 'browser', reason: expect.stringContaining('ELECTRON_SKIP_BINARY_DOWNLOAD') });
    expect(skipped.calls).toEqual([]);
  });
});

describe("the electron package's own installer", () => {
  let project: string;
  beforeEach(async () => {
    project = await mkdtemp(join(tmpdir(), 'curio-start-'));
    await writeFile(join(project, 'package.json'), '{"name":"p"}');
  });
  afterEach(() => rm(project, { recursive: true, force: true }));

  async function electronPackage(installScript: string) {
    const dir = join(project, 'node_modules', 'electron');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'package.json'), '{"name":"electron","version":"45.4.1"}');
    await writeFile(join(dir, 'install.js'), installScript);
  }

  it('reports an offline download in one line, not the stack trace', async () => {
    // What electron 45's install.js prints without a network.
    await electronPackage(
      "console.error('TypeError: fetch failed\\n    at node:internal/deps/undici/undici:14976:13'); process.exit(1);",
    );
    const lines: string[] = [];
    const outcome = await electronInstaller(project).fetch((line) => lines.push(line));
    expect(outcome).toEqual({
      ok: false,
      reason: "no connection to Electron's download server (offline, or the network blocks it): fetch failed",
    });
    expect(lines[0]).toMatch(/^Downloading Electron 45\.4\.1 for \w+-\w+ \(once, with electron's installer\)…$/);
  });

  it('finds the binary the installer put in place', async () => {
    await electronPackage(
      "const fs = require('fs'); fs.mkdirSync(__dirname + '/dist'); fs.writeFileSync(__dirname + '/dist/electron', '');" +
        "fs.writeFileSync(__dirname + '/path.txt', 'electron');",
    );
    const installer = electronInstaller(project);
    expect(installer.binaryPath()).toBeNull();
    expect(await installer.fetch(() => undefined)).toEqual({ ok: true });
    expect(installer.binaryPath()).toBe(join(project, 'node_modules', 'electron', 'dist', 'electron'));
  });

  it("builds the SQLite module for Electron into its own folder, leaving Node's build alone", async () => {
    await electronPackage('');
    const sqlite = join(project, 'node_modules', 'better-sqlite3-multiple-ciphers');
    await mkdir(join(sqlite, 'build', 'Release'), { recursive: true });
    await writeFile(join(sqlite, 'package.json'), '{"name":"better-sqlite3-multiple-ciphers","version":"12.11.1"}');
    await writeFile(join(sqlite, 'build', 'Release', 'better_sqlite3.node'), 'node build');
    const asked: unknown[] = [];
    const builder = electronBindingBuilder(project, async (options) => {
      asked.push(options);
      // What @electron/rebuild leaves in the staged copy.
      const built = join(
        options.buildPath,
        'node_modules',
        'better-sqlite3-multiple-ciphers',
        'build',
        'Release',
        'better_sqlite3.node',
      );
      await mkdir(dirname(built), { recursive: true });
      await writeFile(built, 'electron build');
    });
    expect(await builder.ensure(() => undefined)).toEqual({ ok: true });
    const file = electronBindingOf(project)!.file;
    expect(file).toContain(
      join('node_modules', '.curio-electron-binding', 'better-sqlite3-multiple-ciphers-12.11.1-electron-45.4.1-'),
    );
    expect(await readFile(file, 'utf8')).toBe('electron build');
    expect(await readFile(join(sqlite, 'build', 'Release', 'better_sqlite3.node'), 'utf8')).toBe('node build');
    expect(asked).toEqual([
      expect.objectContaining({ electronVersion: '45.4.1', onlyModules: ['better-sqlite3-multiple-ciphers'] }),
    ]);
    // Built once: the next start finds it.
    expect(await builder.ensure(() => undefined)).toEqual({ ok: true });
    expect(asked).toHaveLength(1);
  });
});
