import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * The main process's worker threads by name: the storage's database check and checkpoints, and the sync's
 * check of pulled documents. Each has its entry's source, from the project's root, and the script a build
 * writes of it beside the bundle that starts it: the desktop build (electron.vite.config.ts) and the
 * benchmarks' client (tests/sync/built-client.ts). NOTE: the built name is spelled out, so that the bundle
 * names it (tests/storage/integrity-worker-built.test.ts checks which of the built files does).
 */
export const WORKERS = {
  'integrity-worker': { source: 'main/storage/integrity-worker.ts', built: './integrity-worker.js' },
  'checkpoint-worker': { source: 'main/storage/checkpoint-worker.ts', built: './checkpoint-worker.js' },
  'pulled-check-worker': { source: 'main/sync/pulled-check-worker.ts', built: './pulled-check-worker.js' },
} as const;

export type WorkerName = keyof typeof WORKERS;

/**
 * A worker's entry, beside the module that starts it (`moduleUrl`): from source (tests, tsx scripts) the
 * TypeScript file; in a build the script it wrote (WORKERS). NOTE: in an installed app both are inside
 * app.asar; Electron (17.3 and later) loads a worker's script and its imports from there, as it does the main
 * bundle (docs/decisions.md).
 */
export function workerEntry(name: WorkerName, moduleUrl: string): { url: URL; fromSource: boolean } {
  const fromSource = moduleUrl.endsWith('.ts');
  return { url: new URL(fromSource ? `./${name}.ts` : WORKERS[name].built, moduleUrl), fromSource };
}

/** Starts the worker `name` with `workerData`; from source through tsx, which the worker's imports need. */
export function startWorker(name: WorkerName, workerData: unknown, moduleUrl: string): Worker {
  const { url: entry, fromSource } = workerEntry(name, moduleUrl);
  return fromSource
    ? new Worker(
        `import(${JSON.stringify(tsxApi())}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); })`,
        { eval: true, workerData },
      )
    : new Worker(entry, { workerData });
}

/** tsx's ESM entry (`require.resolve` would give its CommonJS one), found through its package's exports. */
function tsxApi(): string {
  const packageJson = createRequire(import.meta.url).resolve('tsx/package.json');
  const { exports } = JSON.parse(readFileSync(packageJson, 'utf8')) as {
    exports: { './esm/api': { import: { default: string } } };
  };
  return pathToFileURL(join(dirname(packageJson), exports['./esm/api'].import.default)).href;
}
