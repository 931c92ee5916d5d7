import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../server';
import { runCli } from './attack-helpers-sync';
import { PASSWORD } from './helpers';

/**
 * An operator's backup is theirs: before, `restore FILE` opened FILE itself to check it, and SQLite left a
 * FILE-wal and a FILE-shm beside it (a backup of the server's WAL database is in WAL mode), in a folder the
 * operator may sync elsewhere or keep read-only.
 */
const dirs: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'curio-restore-'));
  dirs.push(dir);
  return dir;
}

const digest = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A data folder with one user, and a backup of it in a folder of its own. */
async function backedUp(): Promise<{ dataDir: string; backup: string }> {
  const dataDir = tempDir();
  await (await openStore({ dataDir })).close();
  expect((await runCli('user', 'add', 'ed', '--password', PASSWORD, '--data-dir', dataDir)).code).toBe(0);
  const backup = path.join(tempDir(), 'backup.db');
  expect((await runCli('backup', backup, '--data-dir', dataDir)).code).toBe(0);
  return { dataDir, backup };
}

describe('restore and backup leave the operator’s files as they were', () => {
  it('backup FILE is one file: reading it with SQLite leaves nothing beside it', async () => {
    const { backup } = await backedUp();
    const reader = new Database(backup, { readonly: true });
    expect(reader.prepare('SELECT username FROM users').all()).toEqual([{ username: 'ed' }]);
    reader.close();
    expect(readdirSync(path.dirname(backup))).toEqual(['backup.db']);
  });

  it('restore FILE of a backup in WAL mode (as older servers wrote them) leaves FILE unchanged and alone', async () => {
    const { dataDir, backup } = await backedUp();
    const older = new Database(backup);
    older.pragma('journal_mode = WAL');
    older.close();
    const before = digest(backup);

    const restored = await runCli('restore', backup, '--data-dir', dataDir);
    expect(restored.code, restored.stderr).toBe(0);
    expect(readdirSync(path.dirname(backup))).toEqual(['backup.db']);
    expect(digest(backup)).toBe(before);
    // The data folder holds the restored database and the one it replaced, no stage.
    expect(readdirSync(dataDir).filter((name) => name.includes('.restoring'))).toEqual([]);
    const restoredUsers = new Database(path.join(dataDir, 'curio-server.db'), { readonly: true });
    expect(restoredUsers.prepare('SELECT username FROM users').all()).toEqual([{ username: 'ed' }]);
    restoredUsers.close();
  });

  it('a SQLite file that is not a backup is refused, naming it; nothing is left beside it or in the data folder', async () => {
    const dataDir = tempDir();
    await (await openStore({ dataDir })).close();
    const databaseBefore = digest(path.join(dataDir, 'curio-server.db'));
    const notABackup = path.join(tempDir(), 'notes.db');
    const notes = new Database(notABackup);
    notes.pragma('journal_mode = WAL');
    notes.exec('CREATE TABLE notes (text TEXT)');
    notes.close();
    const before = digest(notABackup);

    const refused = await runCli('restore', notABackup, '--data-dir', dataDir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${notABackup} is not a Curio server backup (no such table: documents)`);
    expect(readdirSync(path.dirname(notABackup))).toEqual(['notes.db']);
    expect(digest(notABackup)).toBe(before);
    expect(digest(path.join(dataDir, 'curio-server.db'))).toBe(databaseBefore);
    expect(readdirSync(dataDir).filter((name) => name.includes('restor'))).toEqual([]);
  });

  it('a database with writes still in its log beside it is refused, naming the log; nothing is changed', async () => {
    const { dataDir, backup } = await backedUp();
    const live = new Database(backup);
    try {
      // A database in use: its last writes sit in backup.db-wal until a checkpoint.
      live.pragma('journal_mode = WAL');
      live.pragma('wal_autocheckpoint = 0');
      live.exec("UPDATE users SET name = 'Written after the backup'");
      const databaseBefore = digest(path.join(dataDir, 'curio-server.db'));

      const refused = await runCli('restore', backup, '--data-dir', dataDir);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`${backup} has a write-ahead log beside it (${backup}-wal)`);
      expect(digest(path.join(dataDir, 'curio-server.db'))).toBe(databaseBefore);
      expect(readdirSync(dataDir).filter((name) => name.includes('restor'))).toEqual([]);
    } finally {
      live.close();
    }
  });
});
