/**
 * Issues 14 and 16: the storage's worker threads (the database check, the checkpoints) as the desktop app
 * ships them. electron-vite builds the app into a
 * folder laid out as the installed one (package.json, out/, node_modules: electron-builder.yml's `files`),
 * and `checkInWorker`, given the built main bundle's place, starts the built `integrity-worker.js` there:
 * the same resolution the app makes. Electron runs main-process worker threads as Node does; the test in
 * Electron itself is the desktop one (tests/e2e/desktop-app.e2e.ts), which skips without its binary.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCore } from '../../main/core';
import { profileDatabaseFiles } from '../../main/recovery/profile-files';
import { openConnection } from '../../main/storage';
import { WalCheckpointer } from '../../main/storage/checkpointer';
import type { IntegrityReport } from '../../main/storage/integrity';
import { checkInWorker, integrityWorkerEntry } from '../../main/storage/integrity-in-worker';
import type { IntegrityWorkerInput } from '../../main/storage/integrity-worker';
import { workerEntry } from '../../main/threads';
import { damageTablePage } from '../core/fixtures/damage';

const projectDir = resolve(import.meta.dirname, '../..');
let app: string;
let builtMain: string;

beforeAll(async () => {
  app = await mkdtemp(join(tmpdir(), 'curio-built-app-'));
  const build = spawnSync(
    process.execPath,
    [join(projectDir, 'node_modules/electron-vite/bin/electron-vite.js'), 'build', '--outDir', join(app, 'out')],
    { cwd: projectDir, encoding: 'utf8', timeout: 300_000 },
  );
  expect(build.status, `electron-vite build failed:\n${build.stderr}`).toBe(0);
  // What electron-builder packs beside out/: the package.json (its "type" makes the bundles ES modules) and the dependencies.
  copyFileSync(join(projectDir, 'package.json'), join(app, 'package.json'));
  symlinkSync(join(projectDir, 'node_modules'), join(app, 'node_modules'), 'dir');
  builtMain = join(app, 'out/main/index.js');
}, 300_000);

/**
 * The built main process's files that name the worker script `script`: it must be index.js alone, since from a
 * chunk in out/main/chunks/ the relative URL would point into that folder, where there is no worker.
 */
function builtFilesNaming(script: string): string[] {
  return readdirSync(join(app, 'out/main'), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.js'))
    .filter((file) => readFileSync(join(app, 'out/main', file), 'utf8').includes(`"./${script}"`));
}

afterAll(async () => {
  if (app) await rm(app, { recursive: true, force: true });
});

/** A profile with enough entries for several pages of series, closed; optionally encrypted. */
async function profile(key: Buffer | null): Promise<{ dataDir: string; catalog: string; local: string }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'curio-worker-profile-'));
  const core = await openCore({
    dataDir,
    actor: { id: 'test:alice', name: 'Alice', role: 'admin' },
    ...(key ? { encryption: { key } } : {}),
  });
  const caller = core.createCaller();
  const description = 'A walk along the river, recorded on a grey morning. '.repeat(12);
  for (let i = 0; i < 60; i++)
    await caller.entities.create({ type: 'series', fields: { name: `Walk ${i}`, description } });
  await core.close();
  return { dataDir, ...(await profileDatabaseFiles(dataDir)) };
}

/** The built worker's reports on the profile's two files, started as the built main bundle starts it. */
async function checkWithBuiltWorker(files: string[], key: Buffer | null) {
  const check = checkInWorker(files, 'quick', key, pathToFileURL(builtMain).href);
  return check.result;
}

describe('the built database-check worker', () => {
  it('sits beside the built main bundle that starts it, which resolves it from its own place', () => {
    const entry = integrityWorkerEntry(pathToFileURL(builtMain).href);
    expect(entry.fromSource).toBe(false);
    expect(existsSync(entry.url)).toBe(true);
    expect(builtFilesNaming('integrity-worker.js')).toEqual(['index.js']);
  });

  for (const encrypted of [false, true]) {
    const label = encrypted ? 'encrypted' : 'plain';

    it(`passes a healthy ${label} profile`, async () => {
      const key = encrypted ? randomBytes(32) : null;
      const { dataDir, catalog, local } = await profile(key);
      try {
        const reports = await checkWithBuiltWorker([catalog, local], key);
        expect(reports).toHaveLength(2);
        for (const report of reports) expect(report).toMatchObject({ ok: true, depth: 'quick', problems: [] });
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    });

    it(`finds a damaged page of ${encrypted ? 'an encrypted' : 'a plain'} profile`, async () => {
      const key = encrypted ? randomBytes(32) : null;
      const { dataDir, catalog, local } = await profile(key);
      try {
        damageTablePage(catalog, 'series', key);
        const [catalogReport, localReport] = await checkWithBuiltWorker([catalog, local], key);
        expect(catalogReport).toMatchObject({ ok: false, depth: 'quick' });
        expect(catalogReport!.keyMissing).toBeUndefined();
        expect(catalogReport!.problems.length).toBeGreaterThan(0);
        expect(localReport).toMatchObject({ ok: true, problems: [] });
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    });
  }

  it('says the key is missing, not that the file is damaged, for an encrypted profile checked without it', async () => {
    const key = randomBytes(32);
    const { dataDir, catalog } = await profile(key);
    try {
      const [report] = await checkWithBuiltWorker([catalog], null);
      expect(report).toMatchObject({ ok: false, keyMissing: true });
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('opens its connections with the SQLite binding the starting thread chose, not one it picks itself', async () => {
    const { dataDir, catalog } = await profile(null);
    // Electron's worker threads lack the `process.defaultApp` of a development run, so a worker choosing
    // for itself would load the build for Node under `npm start`: the parent's choice travels with the input.
    const run = (nativeBinding: string | null) =>
      new Promise<IntegrityReport[]>((done, fail) => {
        const workerData: IntegrityWorkerInput = { files: [catalog], depth: 'quick', key: null, nativeBinding };
        const worker = new Worker(join(app, 'out/main/integrity-worker.js'), { workerData });
        worker.once('message', done);
        worker.once('error', fail);
      });
    try {
      const nodeBuild = join(
        projectDir,
        'node_modules/better-sqlite3-multiple-ciphers/build/Release/better_sqlite3.node',
      );
      expect((await run(nodeBuild))[0]).toMatchObject({ ok: true, problems: [] });
      const elsewhere = join(dataDir, 'no-such-build', 'better_sqlite3.node');
      const [report] = await run(elsewhere);
      expect(report).toMatchObject({ ok: false });
      expect(report!.problems.join(' ')).toContain(elsewhere);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('the built checkpoint worker', () => {
  it('sits beside the built main bundle, named by index.js itself', () => {
    const entry = workerEntry('checkpoint-worker', pathToFileURL(builtMain).href);
    expect(entry.fromSource).toBe(false);
    expect(existsSync(entry.url)).toBe(true);
    expect(builtFilesNaming('checkpoint-worker.js')).toEqual(['index.js']);
  });

  it("copies an encrypted file's WAL into the file while the app's connection stays open", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'curio-checkpoint-built-'));
    const key = randomBytes(32);
    const file = join(dir, 'profile.sqlite');
    const writer = openConnection(file, key);
    const checkpointer = new WalCheckpointer(file, key, pathToFileURL(builtMain).href);
    try {
      writer.pragma('journal_mode = WAL');
      writer.pragma('wal_autocheckpoint = 0');
      writer.exec('CREATE TABLE entry (id INTEGER PRIMARY KEY, text TEXT NOT NULL)');
      const insert = writer.prepare('INSERT INTO entry (text) VALUES (?)');
      writer.transaction(() => {
        for (let i = 0; i < 2_000; i++) insert.run(`entry ${i}`.repeat(20));
      })();
      checkpointer.request();
      await checkpointer.idle();
      // The file alone, without its WAL, now holds the rows.
      const copy = join(dir, 'file-alone.sqlite');
      copyFileSync(file, copy);
      const alone = openConnection(copy, key, { readonly: true, fileMustExist: true });
      try {
        expect(alone.prepare('SELECT count(*) FROM entry').pluck().get()).toBe(2_000);
      } finally {
        alone.close();
      }
    } finally {
      await checkpointer.close();
      writer.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the built pulled-check worker', () => {
  it('sits beside the built main bundle, named by index.js itself, and names a page’s invalid documents', async () => {
    const entry = workerEntry('pulled-check-worker', pathToFileURL(builtMain).href);
    expect(entry.fromSource).toBe(false);
    expect(existsSync(entry.url)).toBe(true);
    expect(builtFilesNaming('pulled-check-worker.js')).toEqual(['index.js']);
    const worker = new Worker(entry.url);
    try {
      const answers: unknown[] = [];
      worker.on('message', (answer) => answers.push(answer));
      const line = JSON.stringify({ documents: [{ id: 'not-a-series' }], checkpoint: { sequence: 1 } });
      worker.postMessage({ id: 1, collection: 'series', line });
      await expect
        .poll(() => answers, { timeout: 20_000 })
        .toEqual([
          { ready: true },
          { id: 1, invalid: ['not-a-series'], spans: new Int32Array([14, 14 + '{"id":"not-a-series"}'.length]) },
        ]);
    } finally {
      await worker.terminate();
    }
  });
});
