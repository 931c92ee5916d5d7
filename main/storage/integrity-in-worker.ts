import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { DatabaseKey } from './encryption';
import type { IntegrityDepth, IntegrityReport } from './integrity';
import type { IntegrityWorkerInput } from './integrity-worker';
import { chosenSqliteBinding } from './native-binding';

/** A check running off the main thread; `stop` ends it (the profile is closing) and its result never comes. */
export interface CheckInWorker {
  result: Promise<IntegrityReport[]>;
  stop(): Promise<void>;
}

/**
 * The worker's entry, beside the module that starts it (`moduleUrl`): from source (tests, tsx scripts) the
 * TypeScript file; in the desktop build `integrity-worker.js`, which electron-vite writes beside the main
 * bundle that holds this code (electron.vite.config.ts). NOTE: in an installed app both are inside
 * app.asar; Electron (17.3 and later) loads a worker's script and its imports from there, as it does the
 * main bundle (docs/decisions.md).
 */
export function integrityWorkerEntry(moduleUrl: string): { url: URL; fromSource: boolean } {
  const fromSource = moduleUrl.endsWith('.ts');
  return { url: new URL(fromSource ? './integrity-worker.ts' : './integrity-worker.js', moduleUrl), fromSource };
}

/**
 * Checks database files (`checkDatabaseFile`) in a worker thread: quick_check of a big file takes seconds
 * of CPU, and SQLite calls block the thread they run on. One report per file, in order.
 * `moduleUrl` is where this code runs from (a test passes the built main bundle's, to start the built worker).
 */
export function checkInWorker(
  files: string[],
  depth: IntegrityDepth,
  key: DatabaseKey,
  moduleUrl: string = import.meta.url,
): CheckInWorker {
  const { url: entry, fromSource } = integrityWorkerEntry(moduleUrl);
  const workerData: IntegrityWorkerInput = {
    files,
    depth,
    key: key ? new Uint8Array(key) : null,
    nativeBinding: chosenSqliteBinding() ?? null,
  };
  const worker = fromSource
    ? new Worker(
        `import(${JSON.stringify(tsxApi())}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); })`,
        { eval: true, workerData },
      )
    : new Worker(entry, { workerData });
  let stopped = false;
  const result = new Promise<IntegrityReport[]>((resolve, reject) => {
    worker.once('message', (reports: IntegrityReport[]) => resolve(reports));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (!stopped) reject(new Error(`The database check stopped before it finished (exit code ${code}).`));
    });
  });
  return {
    result,
    async stop() {
      stopped = true;
      await worker.terminate();
    },
  };
}

/** tsx's ESM entry (`require.resolve` would give its CommonJS one), found through its package's exports. */
function tsxApi(): string {
  const packageJson = createRequire(import.meta.url).resolve('tsx/package.json');
  const { exports } = JSON.parse(readFileSync(packageJson, 'utf8')) as {
    exports: { './esm/api': { import: { default: string } } };
  };
  return pathToFileURL(join(dirname(packageJson), exports['./esm/api'].import.default)).href;
}
