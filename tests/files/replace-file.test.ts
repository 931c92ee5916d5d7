import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { replaceFile } from '../../main/files';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'curio-replace-file-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

test('replaces the file whole and leaves no temporary file beside it', async () => {
  const path = join(dir, 'state.json');
  await writeFile(path, 'old and longer than the new text');
  await replaceFile(path, 'new', { flush: true });
  expect(await readFile(path, 'utf8')).toBe('new');
  expect(await readdir(dir)).toEqual(['state.json']);
});

test.skipIf(process.platform === 'win32')(
  'a secret is readable by its owner only, even over a left-over temporary file',
  async () => {
    const path = join(dir, 'token');
    await writeFile(`${path}.${process.pid}.tmp`, 'left over by a crash', { mode: 0o644 });
    await replaceFile(path, 'secret', { mode: 0o600 });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readFile(path, 'utf8')).toBe('secret');
  },
);
