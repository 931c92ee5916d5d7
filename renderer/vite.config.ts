import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type UserConfig } from 'vite';

// NOTE: not import.meta.dirname: electron-vite bundles this file where that is undefined.
const root = fileURLToPath(new URL('.', import.meta.url));

/** The renderer build, shared by browser mode (`vite build`) and electron-vite. */
export const rendererConfig: UserConfig = {
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir: resolve(root, '../out/renderer'),
    emptyOutDir: true,
  },
};

export default defineConfig(rendererConfig);
