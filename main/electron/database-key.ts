import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { replaceFile } from '../files';
import { DATABASE_KEY_BYTES, type DatabaseEncryption } from '../storage';
import type { StringEncryption } from './token-store';

/** What Settings and the log say when the OS has no keyring to hold the key. */
export const NO_KEYRING_REASON =
  'This computer has no OS keyring that Curio can use (on Linux: no Secret Service or KWallet), ' +
  'so the profile is stored unencrypted. Curio encrypts it once a keyring is available.';

/**
 * The key of the profile's database files and snapshots: 32 random bytes, made once and kept in `file`
 * encrypted by the OS keyring through `safeStorage`, as the refresh token is (token-store.ts). Without a
 * keyring: no key, with the reason. A key file the keyring can no longer decrypt is left in place (the
 * keyring may come back) and reported; the profile then opens in recovery saying the key is missing.
 */
export async function loadDatabaseKey(options: {
  file: string;
  encryption: StringEncryption;
}): Promise<DatabaseEncryption> {
  const { file, encryption } = options;
  if (!encryption.isEncryptionAvailable()) return { key: null, reason: NO_KEYRING_REASON };
  if (existsSync(file)) {
    try {
      const stored = JSON.parse(await readFile(file, 'utf8')) as { version?: unknown; key?: unknown };
      if (stored.version !== 1 || typeof stored.key !== 'string') throw new Error('unknown format');
      const key = Buffer.from(encryption.decryptString(Buffer.from(stored.key, 'base64')), 'hex');
      if (key.length !== DATABASE_KEY_BYTES) throw new Error(`the key has ${key.length} bytes`);
      return { key };
    } catch (error) {
      return {
        key: null,
        reason:
          `The key of this profile's encryption (${file}) cannot be read with this computer's keyring ` +
          `(${(error as Error).message}). The file was left in place.`,
      };
    }
  }
  const key = randomBytes(DATABASE_KEY_BYTES);
  const stored = { version: 1, key: encryption.encryptString(key.toString('hex')).toString('base64') };
  // Flushed before it is renamed into place: a crash or power cut leaves no key file or the whole one, never half.
  await mkdir(dirname(file), { recursive: true });
  await replaceFile(file, JSON.stringify(stored), { mode: 0o600, flush: true });
  return { key };
}
