import type { RxDocument } from 'rxdb';
import { ENTITY_TYPES, titleOf, type EntityType } from '../../shared/entities/registry';
import type { DocumentData } from '../database';
import type { BackupOrigin, ParsedBackup } from './backup-file';
import type { ServiceContext } from './context';
import { previewToken } from './preview-token';
import { scanEntities } from './scan';
import { auditedFields, diffFields } from './writes';

/**
 * `keep-newer` (the default) writes what the file has that is new or newer
 * and keeps every version here that is newer than the file's; `exact` makes
 * the catalog exactly the backup: newer versions here are replaced and live
 * entries missing from the file go to the trash.
 */
export const RESTORE_MODES = ['keep-newer', 'exact'] as const;
export type RestoreMode = (typeof RESTORE_MODES)[number];

/** What the restore would do to one entry of the file. */
export type RestoreCategory = 'new' | 'updated' | 'unchanged' | 'newerHere';

export interface RestoreEntry {
  type: EntityType;
  id: string;
  title: string;
  /** When the version here was last changed (null for a new entry). */
  hereUpdatedAt: string | null;
  /** Who changed the version here last (null for a new entry): often someone else, whose edit a restore replaces. */
  hereUpdatedBy: string | null;
  /** When the file's version was last changed (null for an entry absent from the file). */
  fileUpdatedAt: string | null;
  /**
   * The version here was written on this device (edited here or received by the sync) after the file was
   * made: newer here whatever the times say, which the clock of the device that made the change wrote.
   * False where that is not known (entries absent from the file, files from another device).
   */
  hereChangedSinceFile: boolean;
}

/** Entries listed per category in a preview; the counts are always complete. */
export const PREVIEW_LIST_LIMIT = 100;

export interface RestorePreview {
  /** Pass back to `restore`: it refuses if the plan differs from this preview. */
  token: string;
  counts: { new: number; updated: number; unchanged: number; newerHere: number; absent: number };
  /** Examples per category (up to PREVIEW_LIST_LIMIT each). `absent`: live here, not in the file. */
  entries: { new: RestoreEntry[]; updated: RestoreEntry[]; newerHere: RestoreEntry[]; absent: RestoreEntry[] };
  audit: { new: number };
}

export interface PlannedDocument {
  document: DocumentData;
  current: RxDocument<DocumentData> | undefined;
  category: RestoreCategory;
}

export interface RestorePlan {
  preview: RestorePreview;
  documents: Map<EntityType, PlannedDocument[]>;
  absent: { type: EntityType; id: string }[];
  missingAudit: DocumentData[];
  auditInFile: number;
}

const BATCH = 500;

/**
 * Compares a backup with this profile, entry by entry. "Newer here" means the
 * field values differ and either the version here was written on this device
 * after the file was made (`changedSince`), or it was changed at the same time
 * as or later than the file's by `updatedAt`: a tie keeps what is here.
 * NOTE: `updatedAt` comes from the clock of whichever device made the change,
 * so it alone would let a file replace an edit made after it on a device whose
 * clock is behind; revisions are random ids without an order, and a restore
 * gives written entries a new one, so they cannot say which version is newer;
 * the field values decide "unchanged".
 */
export async function planRestore(
  ctx: ServiceContext,
  { content: backup, origin }: ParsedBackup,
  sourceDigest: string,
): Promise<RestorePlan> {
  const changedSince = await changedSinceRule(ctx, origin);
  const documents = new Map<EntityType, PlannedDocument[]>();
  const preview: RestorePreview = {
    token: '',
    counts: { new: 0, updated: 0, unchanged: 0, newerHere: 0, absent: 0 },
    entries: { new: [], updated: [], newerHere: [], absent: [] },
    audit: { new: 0 },
  };
  const fingerprint: unknown[] = [sourceDigest];
  const list = (category: keyof RestorePreview['entries'], entry: RestoreEntry) => {
    preview.counts[category]++;
    if (preview.entries[category].length < PREVIEW_LIST_LIMIT) preview.entries[category].push(entry);
  };

  for (const type of ENTITY_TYPES) {
    const inFile = backup[type] ?? [];
    const planned: PlannedDocument[] = [];
    for (let start = 0; start < inFile.length; start += BATCH) {
      const batch = inFile.slice(start, start + BATCH);
      const existing = await ctx.database.entities[type].findByIds(batch.map((d) => d.id as string)).exec();
      for (const document of batch) {
        const current = existing.get(document.id as string);
        const here = current ? (current.toJSON() as DocumentData) : null;
        const since = current ? changedSince(type, current.toJSON(true)._meta.lwt) : false;
        const category = categorize(type, here, document, since);
        planned.push({ document, current, category });
        fingerprint.push([type, document.id, category, here?.rev ?? null]);
        if (category === 'unchanged') preview.counts.unchanged++;
        else list(category, entryOf(type, here, document, since));
      }
    }
    documents.set(type, planned);
  }

  const absent: RestorePlan['absent'] = [];
  for (const type of ENTITY_TYPES) {
    const inFile = new Set((backup[type] ?? []).map((d) => d.id as string));
    for await (const batch of scanEntities(ctx.database.entities[type], { includeTrash: false })) {
      for (const here of batch) {
        if (inFile.has(here.id as string)) continue;
        absent.push({ type, id: here.id as string });
        fingerprint.push([type, here.id, 'absent', here.rev]);
        list('absent', entryOf(type, here, null, false));
      }
    }
  }

  const missingAudit: DocumentData[] = [];
  const audit = backup.audit ?? [];
  for (let start = 0; start < audit.length; start += BATCH) {
    const batch = audit.slice(start, start + BATCH);
    const existing = await ctx.database.audit.findByIds(batch.map((e) => e.id as string)).exec();
    missingAudit.push(...batch.filter((e) => !existing.has(e.id as string)));
  }
  preview.audit.new = missingAudit.length;
  preview.token = previewToken(fingerprint);
  return { preview, documents, absent, missingAudit, auditInFile: audit.length };
}

/**
 * Whether a version here, by its local write stamp (`_meta.lwt`), was written after the file was made.
 * A file of this very store says so exactly: it holds each type's newest stamp when its export began, and
 * the storage stamps every later write (edits, pulled versions) above it whatever the clock did. A file of
 * this device from another store (an older format, a database copy, a store since rebuilt) is compared by
 * its export time, both on this device's clock. A file of another device says nothing: its clock is not ours.
 */
async function changedSinceRule(
  ctx: ServiceContext,
  origin: BackupOrigin,
): Promise<(type: EntityType, localWrite: number) => boolean> {
  const sameStore = origin.store !== null && origin.store === (await ctx.database.db.storageToken);
  const ownDevice = origin.deviceId === ctx.deviceId;
  const exportedAt = origin.exportedAt ? Date.parse(origin.exportedAt) : null;
  return (type, localWrite) => {
    const newest = sameStore ? origin.newestWrites?.[type] : undefined;
    if (newest !== undefined) return localWrite > newest;
    return ownDevice && exportedAt !== null && localWrite > exportedAt;
  };
}

function categorize(
  type: EntityType,
  here: DocumentData | null,
  file: DocumentData,
  changedSince: boolean,
): RestoreCategory {
  if (!here) return 'new';
  if (diffFields(auditedFields(type), here, file).length === 0) return 'unchanged';
  if (changedSince) return 'newerHere';
  return String(here.updatedAt) >= String(file.updatedAt) ? 'newerHere' : 'updated';
}

function entryOf(
  type: EntityType,
  here: DocumentData | null,
  file: DocumentData | null,
  hereChangedSinceFile: boolean,
): RestoreEntry {
  return {
    type,
    id: (here ?? file)!.id as string,
    title: titleOf(type, (file ?? here)!),
    hereUpdatedAt: (here?.updatedAt as string | undefined) ?? null,
    hereUpdatedBy: (here?.updatedBy as { name?: string } | undefined)?.name ?? null,
    fileUpdatedAt: (file?.updatedAt as string | undefined) ?? null,
    hereChangedSinceFile,
  };
}
