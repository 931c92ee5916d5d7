import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type UserConfig } from 'vite';

const root = resolve(import.meta.dirname);

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
