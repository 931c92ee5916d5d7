import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, writeBackup, type Store } from '../../server/store';

/**
 * `backup FILE` never leaves a half-written file under FILE, never replaces a file unless told to, and
 * refuses the server's own database and a folder in words. Before, it wrote straight into FILE: over an
 * older backup without a word, and "unable to open database file" for a folder or a missing one.
 */
const dirs: string[] = [];
const stores: Store[] = [];

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'curio-backup-'));
  dirs.push(dir);
  return dir;
}

async function store(dataDir = tempDir()): Promise<Store> {
  const opened = await openStore({ dataDir });
  stores.push(opened);
  return opened;
}

afterEach(async () => {
  await Promise.all(stores.splice(0).map((opened) => opened.close()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The tables of a SQLite backup, read from the file itself. */
function tablesOf(file: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map(
      (row) => row.name,
    );
  } finally {
    db.close();
  }
}

async function refusal(write: Promise<unknown>): Promise<string> {
  try {
    await write;
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('The backup was written.');
}

describe('writing a backup', () => {
  it('keeps a file already there unless told to replace it, then replaces it whole', async () => {
    const server = await store();
    const file = path.join(tempDir(), 'nightly.db');
    writeFileSync(file, 'last night');

    expect(await refusal(writeBackup(server, file, { overwrite: false, dataDir: null }))).toBe(
      `${file} already exists. Give the backup a new name, or add --overwrite to replace that file.`,
    );
    expect(readFileSync(file, 'utf8')).toBe('last night');

    expect(await writeBackup(server, file, { overwrite: true, dataDir: null })).toBe(file);
    expect(readdirSync(path.dirname(file))).toEqual(['nightly.db']);
    expect(tablesOf(file)).toContain('users');
  });

  it("refuses the server's own database, a folder and a folder that does not exist", async () => {
    const dataDir = tempDir();
    const server = await store(dataDir);
    const live = path.join(dataDir, 'curio-server.db');
    expect(await refusal(writeBackup(server, live, { overwrite: true, dataDir }))).toBe(
      `${live} is the server's own database. Give the backup another name, outside ${dataDir}.`,
    );

    const folder = tempDir();
    expect(await refusal(writeBackup(server, folder, { overwrite: true, dataDir }))).toMatch(
      new RegExp(
        `^${folder} is a folder\\. Give the backup a file name, e\\.g\\. ${folder}/curio-backup-\\d{4}-\\d\\d-\\d\\d\\.db\\.$`,
      ),
    );
    const missing = path.join(folder, 'no-such-folder', 'backup.db');
    expect(await refusal(writeBackup(server, missing, { overwrite: false, dataDir }))).toBe(
      `The folder ${path.dirname(missing)} does not exist. Create it first, or name another.`,
    );
  });

  it('leaves no half-written file and the older backup whole when the copy fails', async () => {
    const server = await store();
    const file = path.join(tempDir(), 'nightly.db');
    writeFileSync(file, 'last night');
    // A disk that fills up mid-copy cannot be made here: this store writes part of the copy, then fails as one would.
    const failing: Store = {
      ...server,
      async backup(destination) {
        writeFileSync(destination, 'half a backup');
        throw new Error('SQLITE_FULL: database or disk is full');
      },
    };
    expect(await refusal(writeBackup(failing, file, { overwrite: true, dataDir: null }))).toContain('SQLITE_FULL');
    expect(readFileSync(file, 'utf8')).toBe('last night');
    expect(readdirSync(path.dirname(file))).toEqual(['nightly.db']);
  });
});

describe('the backup command', { timeout: 120_000 }, () => {
  it('refuses to write over a file without --overwrite, and writes with it', async () => {
    const root = path.resolve(__dirname, '../..');
    const dataDir = tempDir();
    const file = path.join(tempDir(), 'backup.db');
    const backup = (...flags: string[]) =>
      promisify(execFile)(
        path.join(root, 'node_modules/.bin/tsx'),
        ['server/cli.ts', 'backup', file, '--data-dir', dataDir, ...flags],
        { cwd: root },
      ).then(
        () => ({ code: 0, stderr: '' }),
        (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
      );

    expect(await backup()).toEqual({ code: 0, stderr: '' });
    expect(await backup()).toEqual({
      code: 1,
      stderr: `${file} already exists. Give the backup a new name, or add --overwrite to replace that file.\n`,
    });
    expect(await backup('--overwrite')).toEqual({ code: 0, stderr: '' });
    expect(existsSync(file) && tablesOf(file)).toContain('users');
  });
});
