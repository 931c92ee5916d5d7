import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseFilePath, getRxStorageSqlite, StorageFileError } from '../../main/storage';
import { createInstance, doc, tempDirectory } from './helpers';

describe('sqlite storage: files it must refuse, never overwriting them', () => {
  let temp: ReturnType<typeof tempDirectory>;
  beforeEach(() => {
    temp = tempDirectory();
  });
  afterEach(() => temp.cleanup());

  async function openError(directory: string, name = 'profile'): Promise<StorageFileError> {
    const error = await createInstance(getRxStorageSqlite({ directory }), name).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StorageFileError);
    return error as StorageFileError;
  }

  it('refuses a missing directory, naming it', async () => {
    const missing = path.join(temp.directory, 'does-not-exist');
    const error = await openError(missing);
    expect(error.problem).toBe('DIRECTORY_MISSING');
    expect(error.code).toBe('BAD_FILE');
    expect(error.message).toContain(missing);
    expect(fs.existsSync(missing)).toBe(false);
  });

  it('refuses a read-only directory, naming it', async () => {
    // chmod does not stop root (as in CI containers); the immutable attribute does.
    const asRoot = process.getuid?.() === 0;
    const protect = (on: boolean) =>
      asRoot
        ? execFileSync('chattr', [on ? '+i' : '-i', temp.directory])
        : fs.chmodSync(temp.directory, on ? 0o555 : 0o755);
    protect(true);
    try {
      const error = await openError(temp.directory);
      expect(error.problem).toBe('DIRECTORY_NOT_WRITABLE');
      expect(error.message).toContain(temp.directory);
    } finally {
      protect(false);
    }
  });

  it('refuses an SQLite file of another program and leaves it byte for byte', async () => {
    const file = databaseFilePath(temp.directory, 'profile');
    const foreign = new Database(file);
    foreign.exec("CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('keep me')");
    foreign.close();
    const before = fs.readFileSync(file);
    const error = await openError(temp.directory);
    expect(error.problem).toBe('NOT_A_CURIO_DATABASE');
    expect(error.message).toContain(file);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(fs.existsSync(file + '-wal')).toBe(false);
  });

  it('refuses a file that is not a database at all and leaves it byte for byte', async () => {
    const file = databaseFilePath(temp.directory, 'profile');
    const garbage = Buffer.from('this is a text file, not a database\n'.repeat(200));
    fs.writeFileSync(file, garbage);
    const error = await openError(temp.directory);
    expect(error.problem).toBe('CORRUPT');
    expect(error.message).toContain(file);
    expect(fs.readFileSync(file).equals(garbage)).toBe(true);
  });

  it('refuses a Curio database whose header was damaged', async () => {
    const storage = getRxStorageSqlite({ directory: temp.directory });
    const instance = await createInstance(storage, 'profile');
    await instance.bulkWrite([{ document: doc({ id: 'x' }) }], 't');
    await instance.close();
    const file = databaseFilePath(temp.directory, 'profile');
    const bytes = fs.readFileSync(file);
    bytes.write('garbage!garbage!', 0); // the SQLite magic string
    fs.writeFileSync(file, bytes);
    const error = await openError(temp.directory);
    expect(error.problem).toBe('CORRUPT');
    expect(fs.readFileSync(file).equals(bytes)).toBe(true);
  });

  it('marks its files so they are recognised on reopen', async () => {
    const instance = await createInstance(getRxStorageSqlite({ directory: temp.directory }), 'profile');
    await instance.close();
    const check = new Database(databaseFilePath(temp.directory, 'profile'), { readonly: true });
    expect(check.pragma('application_id', { simple: true })).toBe(0x43555249);
    expect(check.pragma('journal_mode', { simple: true })).toBe('wal');
    check.close();
  });

  it('refuses attachments with an error naming the limitation', async () => {
    const storage = getRxStorageSqlite({ directory: temp.directory });
    const { testSchema } = await import('./helpers');
    await expect(createInstance(storage, 'profile', 'files', { ...testSchema, attachments: {} })).rejects.toThrow(
      /attachments.*not support/,
    );
  });
});
