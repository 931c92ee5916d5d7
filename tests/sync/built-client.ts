/**
 * The test client (client-worker.ts) bundled with the core, as the desktop build bundles the main process:
 * the benchmarks run it under plain Node, as users run the app, where from source every client process and
 * each of its worker threads loads TypeScript through tsx (docs/decisions.md, "bench:sync runs the client
 * as built").
 */
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { WORKERS } from '../../main/threads';

const projectDir = resolve(import.meta.dirname, '../..');

/**
 * Bundles the client and the main process's worker threads into `outDir` (inside the project, so that the
 * dependencies, left out of the bundle as the desktop build leaves them, resolve from node_modules): each
 * worker under the name the bundle looks for beside itself (main/threads). Returns the client's script.
 */
export async function buildClient(outDir = join(projectDir, 'out/bench-client')): Promise<string> {
  const workers = Object.entries(WORKERS).map(([name, { source }]) => [name, join(projectDir, source)]);
  await build({
    entryPoints: { 'client-worker': join(projectDir, 'tests/sync/client-worker.ts'), ...Object.fromEntries(workers) },
    outdir: outDir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'warning',
  });
  return join(outDir, 'client-worker.js');
}
