import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEncryptedTokenStore } from '../../main/electron/token-store';
import { fakeKeyring } from './fake-keyring';

const keychain = fakeKeyring;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'curio-tokens-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const server = 'https://sync.example.org';
const token = 'refresh-token-0123456789abcdef';

describe('refresh token store', () => {
  it('keeps a token across restarts, encrypted and readable by the owner only', async () => {
    const file = join(dir, 'tokens.json');
    const encryption = keychain();
    await createEncryptedTokenStore({ file, encryption }).set(server, token);

    const reopened = createEncryptedTokenStore({ file, encryption });
    expect(reopened.persistent).toBe(true);
    expect(await reopened.get(server)).toBe(token);
    expect(await readFile(file, 'utf8')).not.toContain(token);
    if (process.platform !== 'win32') expect((await stat(file)).mode & 0o077).toBe(0);
  });

  it('replaces a rotated token and forgets it on sign-out', async () => {
    const store = createEncryptedTokenStore({ file: join(dir, 'tokens.json'), encryption: keychain() });
    await Promise.all([
      store.set(server, 'first'),
      store.set('https://other.example', 'other'),
      store.set(server, 'second'),
    ]);
    expect(await store.get(server)).toBe('second');
    expect(await store.get('https://other.example')).toBe('other');
    await store.delete(server);
    expect(await store.get(server)).toBeNull();
    expect(await store.get('https://other.example')).toBe('other');
  });

  it('asks for a new sign-in when the OS key changed', async () => {
    const file = join(dir, 'tokens.json');
    await createEncryptedTokenStore({ file, encryption: keychain() }).set(server, token);
    expect(await createEncryptedTokenStore({ file, encryption: keychain() }).get(server)).toBeNull();
  });

  it('never writes a token to disk when the OS offers no encryption', async () => {
    const file = join(dir, 'tokens.json');
    const store = createEncryptedTokenStore({ file, encryption: keychain(false) });
    expect(store.persistent).toBe(false);
    await store.set(server, token);
    expect(await store.get(server)).toBe(token);
    await expect(stat(file)).rejects.toThrow(/ENOENT/);
  });
});
