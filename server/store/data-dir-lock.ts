import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../../shared/errors';
import { makeOwnerOnlyFolder } from './owner-only';

const LOCK_FILE = 'server.lock';
const PID_FILE = 'server.pid';

/** Who holds a SQLite data folder: a serving server, or the `restore` command replacing its database. */
export type DataDirHolder = 'serve' | 'restore';

/** A data folder held by this process until `release()`. */
export interface DataDirLock {
  release(): void;
}

/**
 * Takes the SQLite data folder for this process alone (OPS-7): a second server, or a `restore`, on the same
 * folder is refused while the first holds it. The lock is an exclusive SQLite lock on `server.lock`, which the
 * operating system drops when the process ends however it ends, so a crash leaves nothing stale behind and a
 * reused process id cannot keep a folder locked. `server.pid` only names the holder in the refusal.
 *
 * NOTE: SQLite's own locks cannot do this job on the database: a second server there runs fine beside the first,
 * each one's live streams miss the other's pushes, and a `restore` renamed the file under the one left running
 * (its pid mark was removed by the other's stop), which went on writing into a database nobody would open again.
 */
export function lockDataDir(dataDir: string, holder: DataDirHolder): DataDirLock {
  makeOwnerOnlyFolder(dataDir);
  const lock = new Database(path.join(dataDir, LOCK_FILE), { timeout: 0 });
  try {
    lock.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    lock.close();
    if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
    throw new AppError('CONFLICT', heldWords(dataDir, holder));
  }
  const pidFile = path.join(dataDir, PID_FILE);
  writeFileSync(pidFile, `${process.pid} ${holder}`);
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      rmSync(pidFile, { force: true });
      lock.close();
    },
  };
}

/** The refusal when another process holds the folder, naming it (by the pid mark) and what to do. */
function heldWords(dataDir: string, wanted: DataDirHolder): string {
  const [pid, heldBy] = existsSync(path.join(dataDir, PID_FILE))
    ? readFileSync(path.join(dataDir, PID_FILE), 'utf8').trim().split(' ')
    : [];
  const who = pid ? ` (process ${pid})` : '';
  if (heldBy === 'restore') {
    return `A restore${who} is replacing the database in ${dataDir}. Wait for it to finish, then try again.`;
  }
  if (wanted === 'restore') {
    return `A Curio sync server${who} is running on ${dataDir}; stop it, then restore.`;
  }
  return (
    `Another Curio sync server${who} is already running on ${dataDir}. One server at a time can use a ` +
    'SQLite data folder: stop that one first, or give this one its own --data-dir. To run several servers ' +
    'for one team, use PostgreSQL (--database-url).'
  );
}
