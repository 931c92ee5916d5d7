import { execFile } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const tsc = join(root, 'node_modules/typescript/bin/tsc');

/** Typechecks one renderer file with the renderer's (or the Node side's) compiler settings. */
async function typecheckRendererFile(source: string, config: 'tsconfig.web.json' | 'tsconfig.node.json') {
  const probe = join(root, 'renderer', `.boundary-probe-${process.pid}.ts`);
  // The project file sits in the repository so type libraries resolve from its node_modules.
  const project = join(root, `.tsconfig.boundary-probe-${process.pid}.json`);
  await writeFile(probe, source);
  await writeFile(
    project,
    JSON.stringify({ extends: join(root, config), include: [probe], compilerOptions: { noEmit: true } }),
  );
  try {
    await run(process.execPath, [tsc, '-p', project]);
    return { ok: true, output: '' };
  } catch (error) {
    return { ok: false, output: String((error as { stdout?: string }).stdout) };
  } finally {
    await rm(probe, { force: true });
    await rm(project, { force: true });
  }
}

describe('the renderer cannot use Node', () => {
  const source = "import { readFileSync } from 'node:fs';\nexport const read = readFileSync;\n";

  it('fails the renderer typecheck when a renderer file imports node:fs', async () => {
    const result = await typecheckRendererFile(source, 'tsconfig.web.json');
    expect(result.ok).toBe(false);
    expect(result.output).toContain("Cannot find module 'node:fs'");
  });

  it('while the same file passes with Node types, so the failure is the boundary and not the file', async () => {
    const result = await typecheckRendererFile(source, 'tsconfig.node.json');
    expect(result).toEqual({ ok: true, output: '' });
  });
});
