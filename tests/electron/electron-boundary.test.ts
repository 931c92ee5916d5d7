import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** Imports that load Electron at run time (`import type` is erased and so allowed). */
const runtimeElectronImport = /^\s*import\s+(?!type\b)[^;]*?from\s+['"]electron['"]/m;

describe('Electron boundary', () => {
  it('only main/index.ts loads electron in main/, so the rest runs in plain Node', () => {
    const loaders = sourceFiles(join(root, 'main'))
      .filter((file) => runtimeElectronImport.test(readFileSync(file, 'utf8')))
      .map((file) => relative(root, file));
    expect(loaders).toEqual(['main/index.ts']);
  });

  it('the preload exposes exactly one object, checked against the bridge contract', () => {
    const preload = readFileSync(join(root, 'preload/index.ts'), 'utf8');
    expect(preload.match(/exposeInMainWorld\(/g)).toHaveLength(1);
    expect(preload).toMatch(/satisfies CurioBridge/);
  });
});
