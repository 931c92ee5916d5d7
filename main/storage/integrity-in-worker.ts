import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { DatabaseKey } from './encryption';
import type { IntegrityDepth, IntegrityReport } from './integrity';
import type { IntegrityWorkerInput } from './integrity-worker';

/** A check running off the main thread; `stop` ends it (the profile is closing) and its result never comes. */
export interface CheckInWorker {
  result: Promise<IntegrityReport[]>;
  stop(): Promise<void>;
}

/**
 * Checks database files (`checkDatabaseFile`) in a worker thread: quick_check of a big file takes seconds
 * of CPU, and SQLite calls block the thread they run on. One report per file, in order.
 * NOTE: from source (tests, tsx scripts) the worker is TypeScript, loaded through tsx; the desktop build
 * bundles it as `integrity-worker.js` beside the main bundle (electron.vite.config.ts).
 */
export function checkInWorker(files: string[], depth: IntegrityDepth, key: DatabaseKey): CheckInWorker {
  const fromSource = import.meta.url.endsWith('.ts');
  const entry = new URL(fromSource ? './integrity-worker.ts' : './integrity-worker.js', import.meta.url);
  const workerData: IntegrityWorkerInput = { files, depth, key: key ? new Uint8Array(key) : null };
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
