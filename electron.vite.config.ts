import { resolve } from 'node:path';
import { defineConfig, externalizeDepsPlugin } from 'electron-vite';
import type { Plugin } from 'vite';
import { WORKERS } from './main/threads';
import { rendererConfig } from './renderer/vite.config';

/**
 * In `electron-vite dev` the main process sends the page's CSP as a header, with the dev server's
 * allowances (Vite's inline React refresh preamble, its hot-reload socket). The page's own meta
 * policy, meant for installed builds and browser mode, would block that preamble, so only the dev
 * server drops it; builds keep it.
 */
const devCspFromHeader: Plugin = {
  name: 'curio:dev-csp-from-header',
  apply: 'serve',
  transformIndexHtml: (html) => html.replace(/<meta\s+http-equiv="Content-Security-Policy"[^>]*>/i, ''),
};

export default defineConfig({
  main: {
    plugins: [externalizeDepsPlugin()],
    build: {
      outDir: 'out/main',
      rollupOptions: {
        // The worker threads: entries of their own, beside index.js (main/threads).
        input: {
          index: resolve('main/index.ts'),
          ...Object.fromEntries(Object.entries(WORKERS).map(([name, { source }]) => [name, resolve(source)])),
        },
      },
    },
  },
  preload: {
    plugins: [externalizeDepsPlugin()],
    // Sandboxed preloads must be CommonJS.
    build: { outDir: 'out/preload', rollupOptions: { input: resolve('preload/index.ts'), output: { format: 'cjs' } } },
  },
  renderer: {
    ...rendererConfig,
    plugins: [...(rendererConfig.plugins ?? []), devCspFromHeader],
    build: { ...rendererConfig.build, rolldownOptions: { input: resolve(rendererConfig.root!, 'index.html') } },
  },
});
