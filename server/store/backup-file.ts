import { renameSync, rmSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { ownerOnlyFile } from './owner-only';
import { SQLITE_FILE } from './restore';
import type { Store } from './types';

export interface BackupTarget {
  /** Replace a file already at that name (the `backup` command's --overwrite). */
  overwrite: boolean;
  /** The SQLite data folder, whose database a backup must never be written over; null for PostgreSQL. */
  dataDir: string | null;
}

/**
 * Writes a backup of `store` to `file`. The copy is made under a temporary name beside it and renamed when
 * complete, so `file` is never a half-written backup (a full disk, a killed process) and an older backup
 * under that name stays whole until the new one is. A file already there is replaced only when asked.
 */
export async function writeBackup(store: Store, file: string, target: BackupTarget): Promise<string> {
  const destination = path.resolve(file);
  checkDestination(destination, target);
  const partial = path.join(path.dirname(destination), `.${path.basename(destination)}.partial-${process.pid}`);
  try {
    // OPS-8: the copy holds the token signing key and the password hashes, so it is the owner's alone from its
    // first byte (SQLite's backup and pg_dump both write into the file that is there, keeping its mode).
    ownerOnlyFile(partial);
    await store.backup(partial);
    renameSync(partial, destination);
  } finally {
    rmSync(partial, { force: true });
  }
  return destination;
}

function checkDestination(destination: string, target: BackupTarget): void {
  const folder = path.dirname(destination);
  const folderStats = stats(folder);
  if (!folderStats)
    throw new AppError('VALIDATION', `The folder ${folder} does not exist. Create it first, or name another.`);
  if (!folderStats.isDirectory()) throw new AppError('VALIDATION', `${folder} is a file, not a folder.`);
  if (target.dataDir && path.resolve(target.dataDir, SQLITE_FILE) === destination) {
    throw new AppError(
      'VALIDATION',
      `${destination} is the server's own database. Give the backup another name, outside ${path.resolve(target.dataDir)}.`,
    );
  }
  const existing = stats(destination);
  if (existing?.isDirectory()) {
    const example = path.join(destination, `curio-backup-${new Date().toISOString().slice(0, 10)}.db`);
    throw new AppError('VALIDATION', `${destination} is a folder. Give the backup a file name, e.g. ${example}.`);
  }
  if (existing && !target.overwrite) {
    throw new AppError(
      'VALIDATION',
      `${destination} already exists. Give the backup a new name, or add --overwrite to replace that file.`,
    );
  }
}

function stats(file: string): Stats | null {
  try {
    return statSync(file);
  } catch {
    return null;
  }
}
