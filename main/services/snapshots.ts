import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { AppError } from '../../shared/errors';
import { FILE_EXTENSION, openConnection } from '../storage';
import { writeBackup } from './backup-file';
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
  /** The file name without `.json`: what callers pass back to restore it. */
  id: string;
  takenAt: string;
  reason: SnapshotReason;
  sizeBytes: number;
  /** Entries (all types, trash included) in the snapshot, from its header. */
  entries: number | null;
}

/** What the retention rule keeps: the newest `KEEP_LAST`, plus the newest of each of the last `KEEP_DAYS` days. */
export const KEEP_LAST = 10;
export const KEEP_DAYS = 7;
/** A running profile goes at most this long without a snapshot (see snapshot-schedule.ts). */
export const SNAPSHOT_INTERVAL_MS = 86_400_000;

const FOLDER = 'snapshots';
// 2026-12-01T04-41-15-123Z_before-restore_<uuid v7>: sortable by time, then by the uuid's own clock.
const NAME = /^(\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z)_([a-z-]+)_([0-9a-f-]{36})$/;

export type SnapshotService = ReturnType<typeof createSnapshotService>;

/**
 * Automatic safety copies of the profile: a backup file in `<dataDir>/snapshots/`,
 * taken before anything that changes many entries at once (restore, import,
 * purge), so such a change can be undone from Settings.
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
      const stamp = ctx.now().toISOString().replace(/[:.]/g, '-');
      const id = `${stamp}_${reason}_${uuidv7()}`;
      const partial = join(folder, `${id}.partial`);
      await mkdir(folder, { recursive: true });
      for await (const event of writeBackup(ctx, partial, { sealWith: ctx.databaseKey })) void event;
      await rename(partial, join(folder, `${id}.json`));
      await prune();
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
     * A JSON snapshot taken while the database is open. NOTE: RxDB migrates a collection while the
     * database opens, before any service exists, so the open itself keeps a copy of the file instead
     * (`copyBeforeMigration`, core.ts); this is for a migration run on an open profile. Takes the write lock.
     */
    beforeMigration(): Promise<SnapshotInfo> {
      return ctx.lock.run(() => this.take('before-migration'));
    },

    /** The backup text of a snapshot, sealed or plain (older snapshots, or a profile without a key). */
    read(id: string): Promise<string> {
      return readSealedOrPlain(this.pathOf(id), ctx.databaseKey);
    },

    /** The file of a snapshot, refusing anything that is not one of ours (no paths from callers). */
    pathOf(id: string): string {
      if (!NAME.test(id)) {
        throw new AppError('NOT_FOUND', `There is no snapshot "${id}". Pick one from the list in Settings.`);
      }
      return join(folder, `${id}.json`);
    },
  };

  async function prune(): Promise<void> {
    const all = await list();
    const keep = snapshotsToKeep(all, ctx.now());
    for (const snapshot of all)
      if (!keep.has(snapshot.id)) await rm(join(folder, `${snapshot.id}.json`), { force: true });
  }
}

/**
 * A copy of a database file, taken before RxDB migrates its collections at open (when no JSON snapshot
 * can be read at the old version): `snapshots/<time>_before-migration_<uuid>.curio.sqlite`, made by
 * SQLite's `VACUUM INTO` (a consistent copy, encrypted with the same key as the file) to a temporary
 * name, then renamed. Restored by hand (README, Recovery): it is not in the list, which shows JSON snapshots.
 */
export async function copyBeforeMigration(
  dataDir: string,
  databaseFile: string,
  key: Buffer | null,
  now: Date,
): Promise<string> {
  const folder = join(resolve(dataDir), FOLDER);
  await mkdir(folder, { recursive: true });
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const target = join(folder, `${stamp}_before-migration_${uuidv7()}${FILE_EXTENSION}`);
  const db = openConnection(databaseFile, key, { readonly: true, fileMustExist: true });
  try {
    db.prepare('VACUUM INTO ?').run(`${target}.partial`);
  } finally {
    db.close();
  }
  await rename(`${target}.partial`, target);
  return target;
}

/**
 * The snapshots of a profile, newest first: readable without opening its database (recovery). The entry
 * count of a sealed snapshot is read with `key` (null without it).
 */
export async function listSnapshots(dataDir: string, key: Buffer | null = null): Promise<SnapshotInfo[]> {
  const folder = join(resolve(dataDir), FOLDER);
  const names = await readdir(folder).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  const found: SnapshotInfo[] = [];
  for (const name of names) {
    const parsed = parseName(name);
    if (!parsed) continue;
    const path = join(folder, name);
    found.push({ ...parsed, sizeBytes: (await stat(path)).size, entries: await entriesInHeader(path, key) });
  }
  return found.sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}

/**
 * The retention rule, on its own so it can be checked without files: the
 * newest KEEP_LAST snapshots, and the newest snapshot of each of the last
 * KEEP_DAYS calendar days (UTC), today included.
 */
export function snapshotsToKeep(snapshots: Pick<SnapshotInfo, 'id' | 'takenAt'>[], now: Date): Set<string> {
  const newestFirst = [...snapshots].sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  const keep = new Set(newestFirst.slice(0, KEEP_LAST).map((s) => s.id));
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

function parseName(fileName: string): Omit<SnapshotInfo, 'sizeBytes' | 'entries'> | null {
  if (!fileName.endsWith('.json')) return null;
  const id = fileName.slice(0, -'.json'.length);
  const match = NAME.exec(id);
  if (!match || !(SNAPSHOT_REASONS as readonly string[]).includes(match[2]!)) return null;
  const takenAt = match[1]!.replace(/T(\d\d)-(\d\d)-(\d\d)-(\d{3})Z$/, 'T$1:$2:$3.$4Z');
  return { id, takenAt, reason: match[2] as SnapshotReason };
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
