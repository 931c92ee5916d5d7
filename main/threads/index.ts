import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * Each worker thread's script in the desktop build, beside the main bundle (named in electron.vite.config.ts):
 * the storage's database check and checkpoints, and the sync's check of pulled documents.
 */
const BUILT_SCRIPTS = {
  'integrity-worker': './integrity-worker.js',
  'checkpoint-worker': './checkpoint-worker.js',
  'pulled-check-worker': './pulled-check-worker.js',
};

/** The main process's worker threads, each an entry of its own beside the module that starts it. */
export type WorkerName = keyof typeof BUILT_SCRIPTS;

/**
 * A worker's entry, beside the module that starts it (`moduleUrl`): from source (tests, tsx scripts) the
 * TypeScript file; in the desktop build `<name>.js`, which electron-vite writes beside the main bundle that
 * holds this code (electron.vite.config.ts). NOTE: in an installed app both are inside app.asar; Electron
 * (17.3 and later) loads a worker's script and its imports from there, as it does the main bundle
 * (docs/decisions.md).
 */
export function workerEntry(name: WorkerName, moduleUrl: string): { url: URL; fromSource: boolean } {
  const fromSource = moduleUrl.endsWith('.ts');
  return { url: new URL(fromSource ? `./${name}.ts` : BUILT_SCRIPTS[name], moduleUrl), fromSource };
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
