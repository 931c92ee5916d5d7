import { existsSync } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { AppError } from '../../shared/errors';
import { FILE_EXTENSION, type DatabaseKey } from '../storage';
import { writeBackup } from './backup-file';
import { backupOfDatabaseCopy, copyDatabaseFile, entriesInDatabaseCopy } from './database-snapshot';
import { peekText, readSealedOrPlain } from './sealed-file';
import type { ServiceContext } from './context';

/** Why a snapshot was taken. `scheduled` is for timed snapshots that share this mechanism. */
export const SNAPSHOT_REASONS = [
  'before-restore',
  'before-import',
  'before-purge',
  'scheduled',
  'before-migration',
] as const;
export type SnapshotReason = (typeof SNAPSHOT_REASONS)[number];

export interface SnapshotInfo {
  /** The file name without its extension: what callers pass back to restore it. */
  id: string;
  takenAt: string;
  reason: SnapshotReason;
  sizeBytes: number;
  /** Entries (all types, trash included) in the snapshot, from its header. */
  entries: number | null;
}

/**
 * What the retention rule keeps: the newest `KEEP_LAST`, plus the newest of each of the last `KEEP_DAYS` days,
 * plus the newest `KEEP_BEFORE_MIGRATION` taken before a migration whatever their age (the only copies of the
 * profile at the format before an update).
 */
export const KEEP_LAST = 10;
export const KEEP_DAYS = 7;
export const KEEP_BEFORE_MIGRATION = 2;
/** A running profile goes at most this long without a snapshot (see snapshot-schedule.ts). */
export const SNAPSHOT_INTERVAL_MS = 86_400_000;

const FOLDER = 'snapshots';
// 2026-12-01T04-41-15-123Z_before-restore_<uuid v7>: sortable by time, then by the uuid's own clock.
const NAME = /^(\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z)_([a-z-]+)_([0-9a-f-]{36})$/;
/**
 * What a snapshot file holds, by its extension: a backup (JSON, sealed with the profile's key when it has
 * one), or a copy of the catalog's database file (encrypted as the profile), taken before RxDB migrates it
 * at open. Both are listed, kept and restored alike; only reading them differs (`readSnapshot`).
 */
const EXTENSIONS = { backup: '.json', database: FILE_EXTENSION } as const;

/** A new snapshot's id: the time, the reason, and a UUID v7 so two in one millisecond stay apart. */
function newSnapshotId(reason: SnapshotReason, now: Date): string {
  return `${now.toISOString().replace(/[:.]/g, '-')}_${reason}_${uuidv7()}`;
}

export type SnapshotService = ReturnType<typeof createSnapshotService>;

/**
 * Automatic safety copies of the profile in `<dataDir>/snapshots/`: a backup file
 * taken every day and before anything that changes many entries at once (restore,
 * import, purge), and the database copy taken before a migration at open
 * (`copyBeforeMigration`), so any of them can be undone from Settings.
 */
export function createSnapshotService(ctx: ServiceContext) {
  const folder = join(resolve(ctx.dataDir), FOLDER);

  const list = () => listSnapshots(ctx.dataDir, ctx.databaseKey);

  return {
    /** The snapshots on disk, newest first. */
    list,

    /**
     * Writes a snapshot, then prunes by the retention rule. Written to a
     * temporary name and renamed, so a crash never leaves a half snapshot
     * that looks complete. Sealed with the profile's key when it has one
     * (sealed-file.ts). Call inside the write lock so no write of this
     * core interleaves with it.
     */
    async take(reason: SnapshotReason): Promise<SnapshotInfo> {
      const id = newSnapshotId(reason, ctx.now());
      const partial = join(folder, `${id}.partial`);
      await mkdir(folder, { recursive: true });
      for await (const event of writeBackup(ctx, partial, { sealWith: ctx.databaseKey })) void event;
      await rename(partial, join(folder, `${id}${EXTENSIONS.backup}`));
      await pruneSnapshots(ctx.dataDir, ctx.now());
      const taken = (await list()).find((snapshot) => snapshot.id === id);
      if (!taken) throw new Error(`Snapshot ${id} vanished right after it was written.`);
      return taken;
    },

    /**
     * A `scheduled` snapshot when the newest of any reason is SNAPSHOT_INTERVAL_MS old or more
     * (or there is none); null when none was due. Takes the write lock itself.
     */
    async takeIfDue(): Promise<SnapshotInfo | null> {
      const [newest] = await list();
      if (newest && ctx.now().getTime() - Date.parse(newest.takenAt) < SNAPSHOT_INTERVAL_MS) return null;
      return ctx.lock.run(() => this.take('scheduled'));
    },

    /**
     * The backup text of a snapshot: a backup file, sealed or plain (older snapshots, or a profile
     * without a key), or a database copy read as a backup of this version (database-snapshot.ts).
     */
    read(id: string): Promise<string> {
      return readSnapshot(ctx.dataDir, id, ctx.databaseKey, ctx.deviceId);
    },
  };
}

/**
 * The snapshot taken before RxDB migrates a profile's collections at open (core.ts), when no backup can be
 * written yet: a copy of the catalog's database file, `snapshots/<time>_before-migration_<uuid>.curio.sqlite`,
 * made by SQLite (`copyDatabaseFile`). Listed, kept and restored as every other snapshot. Returns its path.
 */
export async function copyBeforeMigration(
  dataDir: string,
  databaseFile: string,
  key: DatabaseKey,
  now: Date,
): Promise<string> {
  const folder = join(resolve(dataDir), FOLDER);
  await mkdir(folder, { recursive: true });
  const target = join(folder, `${newSnapshotId('before-migration', now)}${EXTENSIONS.database}`);
  await copyDatabaseFile(databaseFile, target, key);
  await pruneSnapshots(dataDir, now);
  return target;
}

/** The backup text of snapshot `id`, whichever kind of file it is. NOT_FOUND for anything not in the list. */
async function readSnapshot(dataDir: string, id: string, key: DatabaseKey, deviceId: string): Promise<string> {
  const missing = new AppError('NOT_FOUND', `There is no snapshot "${id}". Pick one from the list in Settings.`);
  // An id is never a path: only names of our own form are looked up.
  if (!NAME.test(id)) throw missing;
  const folder = join(resolve(dataDir), FOLDER);
  const backup = join(folder, `${id}${EXTENSIONS.backup}`);
  if (existsSync(backup)) return readSealedOrPlain(backup, key);
  const database = join(folder, `${id}${EXTENSIONS.database}`);
  if (existsSync(database))
    return backupOfDatabaseCopy(database, key, new Date(parseName(`${id}${EXTENSIONS.database}`)!.takenAt), deviceId);
  throw missing;
}

/** Deletes the snapshots the retention rule (`snapshotsToKeep`) does not keep. */
async function pruneSnapshots(dataDir: string, now: Date): Promise<void> {
  const folder = join(resolve(dataDir), FOLDER);
  const all = await listSnapshotFiles(folder);
  const keep = snapshotsToKeep(all, now);
  for (const snapshot of all) if (!keep.has(snapshot.id)) await rm(join(folder, snapshot.fileName), { force: true });
}
/**
 * The snapshots of a profile, newest first: readable without opening its database (recovery). The entry
 * count of a sealed snapshot is read with `key` (null without it).
 */
export async function listSnapshots(dataDir: string, key: Buffer | null = null): Promise<SnapshotInfo[]> {
  const folder = join(resolve(dataDir), FOLDER);
  const found: SnapshotInfo[] = [];
  for (const { fileName, kind, ...parsed } of await listSnapshotFiles(folder)) {
    const path = join(folder, fileName);
    const entries = kind === 'database' ? entriesInDatabaseCopy(path, key) : await entriesInHeader(path, key);
    found.push({ ...parsed, sizeBytes: (await stat(path)).size, entries });
  }
  return found;
}

type SnapshotFile = Omit<SnapshotInfo, 'sizeBytes' | 'entries'> & { fileName: string; kind: keyof typeof EXTENSIONS };

/** The snapshot files in `folder`, newest first; partial files and anything else are not snapshots. */
async function listSnapshotFiles(folder: string): Promise<SnapshotFile[]> {
  const names = await readdir(folder).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  const found = names.map(parseName).filter((file) => file !== null);
  return found.sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}

/**
 * The retention rule, on its own so it can be checked without files: the
 * newest KEEP_LAST snapshots, the newest snapshot of each of the last
 * KEEP_DAYS calendar days (UTC), today included, and the newest
 * KEEP_BEFORE_MIGRATION taken before a migration (the reason is in the id).
 */
export function snapshotsToKeep(snapshots: Pick<SnapshotInfo, 'id' | 'takenAt'>[], now: Date): Set<string> {
  const newestFirst = [...snapshots].sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  const keep = new Set(newestFirst.slice(0, KEEP_LAST).map((s) => s.id));
  const beforeMigration = newestFirst.filter((s) => NAME.exec(s.id)?.[2] === 'before-migration');
  for (const snapshot of beforeMigration.slice(0, KEEP_BEFORE_MIGRATION)) keep.add(snapshot.id);
  const oldestDay = new Date(now.getTime() - (KEEP_DAYS - 1) * 86_400_000).toISOString().slice(0, 10);
  const seenDays = new Set<string>();
  for (const snapshot of newestFirst) {
    const day = snapshot.takenAt.slice(0, 10);
    if (day < oldestDay || seenDays.has(day)) continue;
    seenDays.add(day);
    keep.add(snapshot.id);
  }
  return keep;
}

function parseName(fileName: string): SnapshotFile | null {
  const kind = (Object.keys(EXTENSIONS) as (keyof typeof EXTENSIONS)[]).find((k) => fileName.endsWith(EXTENSIONS[k]));
  if (!kind) return null;
  const id = fileName.slice(0, -EXTENSIONS[kind].length);
  const match = NAME.exec(id);
  if (!match || !(SNAPSHOT_REASONS as readonly string[]).includes(match[2]!)) return null;
  const takenAt = match[1]!.replace(/T(\d\d)-(\d\d)-(\d\d)-(\d{3})Z$/, 'T$1:$2:$3.$4Z');
  return { id, takenAt, reason: match[2] as SnapshotReason, fileName, kind };
}

/** The entry count from the backup header (its first line), without reading the whole file. */
async function entriesInHeader(path: string, key: Buffer | null): Promise<number | null> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(2048), 0, 2048, 0);
    const match = /"counts":(\{[^}]*\})/.exec(peekText(buffer.subarray(0, bytesRead), key) ?? '');
    if (!match) return null;
    const counts = JSON.parse(match[1]!) as Record<string, number>;
    return Object.entries(counts).reduce((sum, [name, n]) => (name === 'audit' ? sum : sum + n), 0);
  } catch {
    return null;
  } finally {
    await handle.close();
  }
}
