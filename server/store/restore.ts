import { copyFileSync, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../../shared/errors';
import { lockDataDir } from './data-dir-lock';
import { narrowToOwner } from './owner-only';
import { schemaStatements } from './schema';

export const SQLITE_FILE = 'curio-server.db';

/**
 * Replaces the SQLite database in `dataDir` with `backupFile` (a file written
 * by `backup`). Refuses while a server runs on the folder; keeps the current
 * database as `curio-server.db.before-restore-<time>` first. Returns that path
 * (null when there was no database yet).
 */
export function restoreSqlite(dataDir: string, backupFile: string, now = new Date()): string | null {
  // Held until the restore is done, so no server can start on the folder halfway through (OPS-7).
  const lock = lockDataDir(dataDir, 'restore');
  try {
    return replaceDatabase(dataDir, backupFile, now);
  } finally {
    lock.release();
  }
}

function replaceDatabase(dataDir: string, backupFile: string, now: Date): string | null {
  if (!existsSync(backupFile)) throw new AppError('NOT_FOUND', `There is no file ${backupFile}.`);
  if ((statSync(`${backupFile}-wal`, { throwIfNoEntry: false })?.size ?? 0) > 0) {
    // Its latest writes are in that log, which a copy of the file alone would drop.
    throw new AppError(
      'VALIDATION',
      `${backupFile} has a write-ahead log beside it (${backupFile}-wal): it is a database in use, or copied with ` +
        'its log, not a backup. Write one with "backup" (from the server it belongs to) and restore that.',
    );
  }
  const target = path.join(dataDir, SQLITE_FILE);
  const staged = `${target}.restoring`;
  // Only the copy is opened: SQLite leaves a -wal and a -shm beside a file it opens in WAL mode (a backup of a
  // WAL database is one), and the operator's backup stays as they kept it, byte for byte and alone.
  copyFileSync(backupFile, staged);
  try {
    // OPS-8: a backup written by an older server may be readable by everyone; the database it becomes is not.
    narrowToOwner(staged);
    checkBackup(staged, backupFile);
    const kept = keepCurrent(target, now);
    moveSequencesPast(staged, kept?.sequences ?? []);
    // The replaced database's journals would be replayed into the restored one.
    removeJournals(target);
    renameSync(staged, target);
    return kept?.file ?? null;
  } finally {
    // What is left of the stage after a refused or failed restore, with any journal SQLite made beside it.
    rmSync(staged, { force: true });
    removeJournals(staged);
  }
}

/** Copies the database being replaced aside, with the sequences devices may hold checkpoints up to. */
function keepCurrent(target: string, now: Date): { file: string; sequences: Sequence[] } | null {
  if (!existsSync(target)) return null;
  const file = `${target}.before-restore-${now.toISOString().replace(/[:.]/g, '-')}`;
  // Through SQLite, so what sits in the write-ahead log is in the copy too.
  const current = new Database(target);
  let sequences: Sequence[];
  try {
    current.pragma('wal_checkpoint(TRUNCATE)');
    sequences = current.prepare('SELECT collection, value FROM counters').all() as Sequence[];
  } finally {
    current.close();
  }
  copyFileSync(target, file);
  narrowToOwner(file);
  return { file, sequences };
}

interface Sequence {
  collection: string;
  value: number;
}

/** The files SQLite keeps beside a database: its write-ahead log and shared memory, or its rollback journal. */
function removeJournals(file: string): void {
  for (const suffix of ['-wal', '-shm', '-journal']) rmSync(`${file}${suffix}`, { force: true });
}

/**
 * Devices may hold checkpoints up to the replaced database's sequences, which
 * the restored one has not reached: they would skip new writes. So sequences
 * continue above those, and the tombstone horizon (PULL-7) moves there too:
 * every device that synced before reads everything again (CLIENT-13),
 * dropping what the restore took away.
 */
function moveSequencesPast(file: string, seen: Sequence[]): void {
  const db = new Database(file);
  try {
    for (const statement of schemaStatements('sqlite')) db.exec(statement);
    db.transaction(() => {
      for (const { collection, value } of seen) {
        if (value === 0) continue;
        // One past what devices may hold: a device that had read everything (checkpoint = value) re-reads too.
        db.prepare('UPDATE counters SET value = MAX(value, ?) WHERE collection = ?').run(value + 1, collection);
        db.prepare(
          `INSERT INTO tombstone_horizons (collection, seq) VALUES (?, ?)
           ON CONFLICT (collection) DO UPDATE SET seq = MAX(seq, excluded.seq)`,
        ).run(collection, value + 1);
      }
    })();
  } finally {
    db.close();
  }
}

/** A readable SQLite file holding Curio's documents table (`copy`, of `given`), or a refusal that says what is wrong. */
function checkBackup(copy: string, given: string): void {
  let db: Database.Database | null = null;
  try {
    db = new Database(copy, { readonly: true, fileMustExist: true });
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(String(check));
    db.prepare('SELECT COUNT(*) FROM documents').get();
  } catch (error) {
    throw new AppError(
      'VALIDATION',
      `${given} is not a Curio server backup (${(error as Error).message}); give a file written by "backup".`,
    );
  } finally {
    db?.close();
  }
}
