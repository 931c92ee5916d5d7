import { execFile } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ESLint } from 'eslint';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const tsc = join(root, 'node_modules/typescript/bin/tsc');

/**
 * Typechecks a probe file in renderer/src. With 'tsconfig.web.json' the project is the REAL renderer
 * typecheck: its compiler options and every file it includes (Node types used to arrive through those
 * files' imports, not through the probe), plus the probe. The probe's name starts with a dot, so the real
 * config's globs skip it and a typecheck someone else runs meanwhile never sees it.
 */
async function typecheckRendererFile(source: string, config: 'tsconfig.web.json' | 'tsconfig.node.json') {
  const probe = join(root, 'renderer/src', `.boundary-probe-${process.pid}.ts`);
  // The project file sits in the repository so type libraries resolve from its node_modules.
  const project = join(root, `.tsconfig.boundary-probe-${process.pid}.json`);
  // tsconfig files may hold comments: TypeScript's own reader parses them.
  const { include } = ts.readConfigFile(join(root, config), ts.sys.readFile).config as { include: string[] };
  const files = config === 'tsconfig.web.json' ? [...include.map((path) => join(root, path)), probe] : [probe];
  try {
    await writeFile(probe, source);
    await writeFile(
      project,
      JSON.stringify({ extends: join(root, config), include: files, compilerOptions: { noEmit: true } }),
    );
    await run(process.execPath, [tsc, '-p', project], { maxBuffer: 64 * 1024 * 1024 });
    return { ok: true, output: '' };
  } catch (error) {
    return { ok: false, output: String((error as { stdout?: string }).stdout) };
  } finally {
    await rm(probe, { force: true });
    await rm(project, { force: true });
  }
}

/** The probe's own errors only: other renderer files may be mid-edit while this runs. */
function probeErrors(output: string): string {
  return output
    .split('\n')
    .filter((line) => line.includes('.boundary-probe-'))
    .join('\n');
}

describe('the renderer cannot use Node', () => {
  const source = [
    "import { readFileSync } from 'node:fs';",
    'export const read = readFileSync;',
    "export const bytes = Buffer.from('x');",
    'export const env = process.env;',
    '',
  ].join('\n');

  it('fails the real renderer typecheck (all its files, its options) when a renderer file uses Node', async () => {
    const result = await typecheckRendererFile(source, 'tsconfig.web.json');
    const errors = probeErrors(result.output);
    expect(errors).toContain("Cannot find module 'node:fs'");
    expect(errors).toContain("Cannot find name 'Buffer'");
    expect(errors).toContain("Cannot find name 'process'");
  }, 180_000);

  it('while the same file passes with Node types, so the failure is the boundary and not the file', async () => {
    const result = await typecheckRendererFile(source, 'tsconfig.node.json');
    expect(result).toEqual({ ok: true, output: '' });
  }, 180_000);

  it('fails the lint of a renderer file that imports a Node built-in, with or without node:', async () => {
    const eslint = new ESLint({ cwd: root });
    for (const name of ['node:fs', 'fs', 'child_process', 'electron']) {
      const [report] = await eslint.lintText(`import * as mod from '${name}';\nexport const m = mod;\n`, {
        filePath: join(root, 'renderer/src/probe.ts'),
      });
      expect(report?.messages.map((message) => message.ruleId)).toContain('no-restricted-imports');
    }
  }, 60_000);
});
