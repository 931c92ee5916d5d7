import { rename } from 'node:fs/promises';
import { ENTITY_TYPES, entities, isEntityType } from '../../shared/entities/registry';
import { AppError } from '../../shared/errors';
import {
  liveDocumentCounts,
  liveDocuments,
  openConnection,
  ownFields,
  salvageDatabaseFile,
  type DatabaseKey,
} from '../storage';
import { backupText } from './backup-file';
import type { DocumentData } from '../database';

/*
 * A snapshot that is a copy of the catalog's database file rather than a backup: the one taken before
 * RxDB migrates the profile at open, when no backup can be written (the services open after the
 * migration). It keeps the documents at the schema version they were stored at; restoring reads them
 * back as a backup of this version (snapshots.ts).
 */

/**
 * Copies a database file with SQLite's `VACUUM INTO` (a consistent copy, encrypted with the same key
 * as the file) to a temporary name, then renames it to `target`: a crash never leaves a half copy
 * that looks complete.
 */
export async function copyDatabaseFile(databaseFile: string, target: string, key: DatabaseKey): Promise<void> {
  const db = openConnection(databaseFile, key, { readonly: true, fileMustExist: true });
  try {
    db.prepare('VACUUM INTO ?').run(`${target}.partial`);
  } finally {
    db.close();
  }
  await rename(`${target}.partial`, target);
}

/** The entries (all types, trash included) in a database copy, as a backup's header counts them; null if unreadable. */
export function entriesInDatabaseCopy(file: string, key: DatabaseKey): number | null {
  try {
    const counts = liveDocumentCounts(file, key);
    return Object.entries(counts).reduce((sum, [collection, n]) => (isEntityType(collection) ? sum + n : sum), 0);
  } catch {
    return null;
  }
}

/**
 * A database copy as the text of a backup of this version: every entry (trash included) and audit entry
 * it holds, each entry migrated from the version it was stored at to this version's schema with the
 * entity's own steps (the ones RxDB ran at open). A copy with unreadable rows, or stored by a newer
 * Curio, is refused: an exact restore of part of it would move the rest to the trash. `deviceId`: this
 * device's, whose profile the copy is of (a restore then reads versions written here since `takenAt` as newer).
 */
export function backupOfDatabaseCopy(file: string, key: DatabaseKey, takenAt: Date, deviceId: string): string {
  const salvaged = new Map(salvageDatabaseFile(file, key).map((collection) => [collection.collection, collection]));
  const unreadable = [...salvaged.values()].reduce((sum, collection) => sum + collection.skipped, 0);
  if (unreadable > 0) {
    throw new AppError(
      'BAD_FILE',
      `This snapshot's file is damaged: ${unreadable} rows cannot be read, so it cannot be restored. Restore another snapshot.`,
    );
  }
  const collections: Record<string, DocumentData[]> = {};
  for (const type of ENTITY_TYPES) {
    const found = salvaged.get(type);
    const current = entities[type].version;
    if (found && found.version > current) {
      throw new AppError(
        'BAD_FILE',
        `This snapshot was taken by a newer Curio (its ${type} entries are at version ${found.version}; this version reads up to ${current}). Update Curio to restore it.`,
      );
    }
    collections[type] = liveDocuments(found).map((document) =>
      entities[type].migrate(ownFields(document), found!.version, current),
    );
  }
  // NOTE: audit entries have no steps of their own: their versions only changed how RxDB indexes them.
  collections.audit = liveDocuments(salvaged.get('audit')).map(ownFields);
  return backupText(collections, takenAt, { deviceId });
}
