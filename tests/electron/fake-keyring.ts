import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { StringEncryption } from '../../main/electron/token-store';

/** Electron's safeStorage cannot run here; AES-GCM under a per-keyring key plays the OS keyring. */
export function fakeKeyring(available = true): StringEncryption {
  const key = randomBytes(32);
  return {
    isEncryptionAvailable: () => available,
    encryptString(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decryptString(data) {
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
      decipher.setAuthTag(data.subarray(12, 28));
      return Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}
