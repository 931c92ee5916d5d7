import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { fileCredentialStore } from '../../main/sync';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'curio-credential-file-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

test('a sign-out asked for while a refreshed token is being saved leaves no token on the disk', async () => {
  const store = fileCredentialStore(join(dir, 'profile', 'sync-token'));
  // A refresh rotates the token and saves it; the user signs out before that save is done.
  const saving = store.save('rotated-token');
  const signingOut = store.save(null);
  await Promise.all([saving, signingOut]);
  expect(await store.load()).toBeNull();
  expect(await readdir(join(dir, 'profile'))).toEqual([]);
});

test('the last token saved is the one kept, whole, readable by its owner only', async () => {
  const store = fileCredentialStore(join(dir, 'sync-token'));
  await Promise.all([store.save('first'), store.save('second'), store.save('third')]);
  expect(await store.load()).toBe('third');
  if (process.platform !== 'win32') expect((await stat(join(dir, 'sync-token'))).mode & 0o777).toBe(0o600);
  expect(await readdir(dir)).toEqual(['sync-token']);
});
