import { closeSync, existsSync, fsyncSync, openSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { StorageFileError } from './errors';
import { withBinding } from './native-binding';

/** The raw 32-byte key a profile's database files are encrypted with; null: the files are plain SQLite. */
export type DatabaseKey = Buffer | null;

/** A profile's encryption as its key source decided it: a key, or the reason there is none (shown in Settings). */
export type DatabaseEncryption = { key: Buffer } | { key: null; reason: string };

export const DATABASE_KEY_BYTES = 32;

/**
 * The cipher of every encrypted Curio file, named rather than left to the library's default so a future
 * default cannot make old files unreadable. ChaCha20-Poly1305 is SQLite3 Multiple Ciphers' own default:
 * authenticated (a changed page fails its check), and fast without AES instructions.
 */
export const DATABASE_CIPHER = 'chacha20';

/** The first 16 bytes of every unencrypted SQLite file; an encrypted file starts with its random salt instead. */
const PLAIN_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * Opens a connection to a database file with `key` applied before anything is read: the one place every
 * connection (writer, reader, integrity check, salvage, recovery) is made. A new file is created
 * encrypted. A file still plain (not yet converted, see `encryptDatabaseFile`) is read as plain, so a
 * damaged plain file can still be checked and salvaged. A file encrypted under another key, or encrypted
 * when no key is given, fails with KEY_MISSING, never as a damaged file.
 */
export function openConnection(
  filePath: string,
  key: DatabaseKey,
  options: { readonly?: boolean; fileMustExist?: boolean } = {},
): Database.Database {
  const applied = key && !isPlainDatabaseFile(filePath) ? key : null;
  const db = new Database(filePath, withBinding(options));
  try {
    if (applied) {
      db.pragma(`cipher = '${DATABASE_CIPHER}'`);
      db.pragma(`hexkey = '${keyHex(applied)}'`);
    }
    // The first read of the file: a wrong or missing key fails here (SQLITE_NOTADB).
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    return db;
  } catch (error) {
    db.close();
    throw keyErrorOf(error, filePath, key) ?? error;
  }
}

/** True when the file exists and is a plain (unencrypted) SQLite file; false for an encrypted or empty one. */
export function isPlainDatabaseFile(filePath: string): boolean {
  return firstBytes(filePath, PLAIN_HEADER.length)?.equals(PLAIN_HEADER) ?? false;
}

/**
 * True when the file starts like an encrypted database: not SQLite's plain header, and its first KiB
 * looks random (nearly every byte value occurs; ~251 of 256 for random bytes, under 120 for text or a
 * plain SQLite page). Tells "encrypted, key missing" from "damaged" when no key (or a wrong one) opens it.
 */
export function looksEncrypted(filePath: string): boolean {
  const start = firstBytes(filePath, 1024);
  if (!start || start.length < 1024 || start.subarray(0, PLAIN_HEADER.length).equals(PLAIN_HEADER)) return false;
  return new Set(start).size >= 200;
}

function firstBytes(filePath: string, count: number): Buffer | null {
  if (!existsSync(filePath) || statSync(filePath).size < PLAIN_HEADER.length) return null;
  const bytes = Buffer.alloc(Math.min(count, statSync(filePath).size));
  const fd = openSync(filePath, 'r');
  try {
    readSync(fd, bytes, 0, bytes.length, 0);
  } finally {
    closeSync(fd);
  }
  return bytes;
}

/**
 * A KEY_MISSING error when `error` is SQLite's "not a database" on a file that looks encrypted — so no
 * key, or another key, not damage. Null for any other error.
 */
function keyErrorOf(error: unknown, filePath: string, key: DatabaseKey): StorageFileError | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (code !== 'SQLITE_NOTADB' || !looksEncrypted(filePath)) return null;
  return new StorageFileError(
    'KEY_MISSING',
    filePath,
    key
      ? `The database file ${filePath} is encrypted with another key than the one this computer's keyring holds. ` +
          'It was left untouched: restore the keyring (or the key file) it was made with, or restore a snapshot or rebuild from the server.'
      : `The database file ${filePath} is encrypted, and its key is missing (the OS keyring is unavailable or was reset). ` +
          'It was left untouched: unlock the keyring and start Curio again, or restore a snapshot or rebuild from the server.',
    { cause: error },
  );
}

/**
 * Encrypts an existing plain database file in place with `key`, safe under kill -9 at any point: the
 * file is checkpointed (its WAL folded in and removed), copied with VACUUM INTO to `<file>.encrypting`,
 * the copy encrypted (rekey) and flushed, then renamed over the original. Until the rename the plain
 * file is whole; after it the encrypted one is. A leftover `.encrypting` copy is discarded.
 */
export function encryptDatabaseFile(filePath: string, key: Buffer): void {
  if (!isPlainDatabaseFile(filePath)) return;
  const copy = `${filePath}.encrypting`;
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(copy + suffix, { force: true });
  const plain = openConnection(filePath, null, { fileMustExist: true });
  try {
    plain.pragma('wal_checkpoint(TRUNCATE)');
    plain.prepare('VACUUM INTO ?').run(copy);
  } finally {
    plain.close();
  }
  const target = openConnection(copy, null, { fileMustExist: true });
  try {
    // rekey needs a rollback journal; the profile's WAL mode is set again at the next open.
    target.pragma('journal_mode = DELETE');
    target.pragma(`cipher = '${DATABASE_CIPHER}'`);
    target.pragma(`hexrekey = '${keyHex(key)}'`);
  } finally {
    target.close();
  }
  fsyncFile(copy);
  // The original's WAL was folded in above; a stale one must never be replayed onto the encrypted file.
  for (const suffix of ['-wal', '-shm']) rmSync(filePath + suffix, { force: true });
  renameSync(copy, filePath);
  fsyncFile(dirname(filePath));
}

function fsyncFile(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

const keyHex = (key: Buffer): string => {
  if (key.length !== DATABASE_KEY_BYTES)
    throw new Error(`A database key has ${DATABASE_KEY_BYTES} bytes; got ${key.length}.`);
  return key.toString('hex');
};
