import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, startServer } from '../../server';
import { runCli } from './attack-helpers-sync';
import { PASSWORD, TEST_OPTIONS } from './helpers';

/**
 * OPS-8: the server's database holds the key that signs access tokens, the password hashes and the sessions;
 * a backup holds the same. Before, with the usual umask 022, the data folder was 755 and the database, its
 * write-ahead log and every backup 644: any user of the machine could read the key and sign in as an admin.
 */
const dirs: string[] = [];
let umask = 0;

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'curio-owner-only-'));
  dirs.push(dir);
  return dir;
}

/** The permission bits of `file` that others than its owner have (0 = the owner's alone). */
function othersMode(file: string): number {
  return statSync(file).mode & 0o077;
}

beforeEach(() => {
  // The usual umask of a login or a service, whatever the test runner was started with.
  umask = process.umask(0o022);
});

afterEach(() => {
  process.umask(umask);
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('OPS-8: the server keeps its files to its own user', () => {
  it('OPS-8: a new data folder and its database are the owner’s alone; an older 644 database is narrowed', async () => {
    const dataDir = path.join(tempDir(), 'server');
    const server = await startServer({ ...TEST_OPTIONS, dataDir });
    try {
      await server.createUser({ username: 'ada', name: 'Ada', password: PASSWORD, role: 'admin' });
      expect(othersMode(dataDir)).toBe(0);
      for (const file of ['curio-server.db', 'curio-server.db-wal', 'curio-server.db-shm']) {
        expect({ file, others: othersMode(path.join(dataDir, file)) }).toEqual({ file, others: 0 });
      }
    } finally {
      await server.close();
    }

    // As an older server left it.
    const database = path.join(dataDir, 'curio-server.db');
    chmodSync(database, 0o644);
    const store = await openStore({ dataDir });
    await store.close();
    expect(othersMode(database)).toBe(0);
  });

  it('OPS-8: backup FILE, the database a restore puts back and the one it keeps, and a user export', async () => {
    const dataDir = tempDir();
    const store = await openStore({ dataDir });
    await store.close();
    expect((await runCli('user', 'add', 'ed', '--password', PASSWORD, '--data-dir', dataDir)).code).toBe(0);

    const backup = path.join(tempDir(), 'backup.db');
    expect((await runCli('backup', backup, '--data-dir', dataDir)).code).toBe(0);
    expect(othersMode(backup)).toBe(0);

    // A backup an older server wrote, readable by all: the database it becomes is not.
    chmodSync(backup, 0o644);
    const restored = await runCli('restore', backup, '--data-dir', dataDir);
    expect(restored.code).toBe(0);
    const kept = /kept as (\S+)\.$/m.exec(restored.stdout)![1]!;
    expect(othersMode(kept)).toBe(0);
    expect(othersMode(path.join(dataDir, 'curio-server.db'))).toBe(0);

    const exported = path.join(tempDir(), 'ed.json');
    const removed = await runCli('user', 'remove', 'ed', '--export', exported, '--yes', '--data-dir', dataDir);
    expect(removed.code).toBe(0);
    expect(othersMode(exported)).toBe(0);
  });
});
