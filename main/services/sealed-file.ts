import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { open, readFile } from 'node:fs/promises';
import { AppError } from '../../shared/errors';
import type { ExportFile } from './export-file';

/**
 * A text file sealed with the profile's key (AES-256-GCM, node:crypto): used for snapshots, so a copy of
 * the catalog is never on disk in the clear when the database is encrypted. Layout:
 * MAGIC (11 bytes) | version (1 byte) | nonce (12 bytes) | ciphertext | GCM tag (16 bytes).
 * A file without MAGIC is plain text (snapshots made before encryption, or without a key).
 */
const MAGIC = Buffer.from('CURIOSEALED', 'latin1');
const VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = MAGIC.length + 1 + NONCE_BYTES;

/** Opens `path` for writing text piece by piece, sealed with `key`; the tag is written at close. */
export async function openSealedFile(path: string, key: Buffer): Promise<ExportFile> {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  const handle = await open(path, 'w', 0o600);
  try {
    await handle.write(Buffer.concat([MAGIC, Buffer.from([VERSION]), nonce]));
  } catch (error) {
    await handle.close();
    throw error;
  }
  return {
    path,
    async write(chunk) {
      await handle.write(cipher.update(chunk, 'utf8'));
    },
    async close() {
      try {
        await handle.write(Buffer.concat([cipher.final(), cipher.getAuthTag()]));
        await handle.sync();
      } finally {
        await handle.close();
      }
    },
  };
}

/** True when `bytes` (the start of a file) is a sealed file. */
export function isSealed(bytes: Buffer): boolean {
  return bytes.length >= MAGIC.length && bytes.subarray(0, MAGIC.length).equals(MAGIC);
}

/** The text of a file, sealed or plain. A sealed one needs `key`; a changed or foreign one is refused. */
export async function readSealedOrPlain(path: string, key: Buffer | null): Promise<string> {
  const bytes = await readFile(path);
  if (!isSealed(bytes)) return bytes.toString('utf8');
  if (!key) {
    throw new AppError(
      'BAD_FILE',
      `${path} is encrypted, and this profile has no key to read it (the OS keyring is unavailable). Unlock the keyring and restart Curio.`,
    );
  }
  const { nonce, body, tag } = partsOf(bytes, path);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, nonce);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
  } catch {
    throw new AppError(
      'BAD_FILE',
      `${path} is encrypted with another key than this profile's, or was changed after it was written. It was left untouched.`,
    );
  }
}

/**
 * The first bytes of a file's text, sealed or plain, unauthenticated: for showing what its header says
 * (a snapshot's entry count) without reading the whole file. Null when it cannot be read with `key`.
 */
export function peekText(start: Buffer, key: Buffer | null): string | null {
  if (!isSealed(start)) return start.toString('utf8');
  if (!key || start.length <= HEADER_BYTES || start[MAGIC.length] !== VERSION) return null;
  const nonce = start.subarray(MAGIC.length + 1, HEADER_BYTES);
  // GCM is a counter mode: the prefix decrypts on its own; the tag is checked when the whole file is read.
  return createDecipheriv('aes-256-gcm', key, nonce).update(start.subarray(HEADER_BYTES)).toString('utf8');
}

function partsOf(bytes: Buffer, path: string) {
  if (bytes.length < HEADER_BYTES + TAG_BYTES || bytes[MAGIC.length] !== VERSION) {
    throw new AppError(
      'BAD_FILE',
      `${path} is an encrypted file of an unknown version or cut short. Update Curio, or pick another file.`,
    );
  }
  return {
    nonce: bytes.subarray(MAGIC.length + 1, HEADER_BYTES),
    body: bytes.subarray(HEADER_BYTES, bytes.length - TAG_BYTES),
    tag: bytes.subarray(bytes.length - TAG_BYTES),
  };
}
