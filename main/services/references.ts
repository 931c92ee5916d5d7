import { ENTITY_TYPES, entities, titleOf, type EntityType } from '../../shared/entities/registry';
import type { DocumentData } from '../database';
import type { ServiceContext } from './context';
import { countedEntries } from '../../shared/readable';
import { loadDocument } from './entities';
import { scanEntities } from './scan';
import { replaceEntity } from './writes';

export interface Referrer {
  type: EntityType;
  id: string;
  title: string;
  field: string;
  inTrash: boolean;
  /** Who last changed the referring entry (who made the link, when it is new). */
  by: { id?: string; name?: string } | null;
}

export interface ReferenceReport {
  referrers: Referrer[];
  /** In words, for the confirmation dialog: "appears in 15 videos". */
  summary: string;
}

/** Every document (live or in the trash) whose reference fields point at `id`. */
export async function findReferrers(ctx: ServiceContext, target: EntityType, id: string): Promise<ReferenceReport> {
  return (await findReferrersOfMany(ctx, [{ type: target, id }])).get(id)!;
}

/**
 * The referrers of several entries at once. NOTE: list fields have no index
 * for "contains", so each referencing collection is scanned once for all
 * targets rather than once per target (a purge of hundreds of entries).
 */
export async function findReferrersOfMany(
  ctx: ServiceContext,
  targets: { type: EntityType; id: string }[],
): Promise<Map<string, ReferenceReport>> {
  const wanted = new Map<string, Set<string>>();
  for (const target of targets) wanted.set(target.type, (wanted.get(target.type) ?? new Set()).add(target.id));
  const found = new Map<string, Referrer[]>(targets.map((target) => [target.id, []]));
  for (const type of ENTITY_TYPES) {
    const references = entities[type].references.filter((reference) => wanted.has(reference.target));
    if (references.length === 0) continue;
    for await (const batch of scanEntities(ctx.database.entities[type], { includeTrash: true })) {
      for (const document of batch) {
        for (const reference of references) {
          const value = document[reference.field];
          const ids = Array.isArray(value) ? value : value === undefined ? [] : [value];
          for (const id of ids as string[]) {
            if (!wanted.get(reference.target)!.has(id)) continue;
            found.get(id)!.push({
              type,
              id: document.id as string,
              title: titleOf(type, document),
              field: reference.field,
              inTrash: document.deletedAt !== null,
              by: (document.updatedBy as Referrer['by'] | undefined) ?? null,
            });
          }
        }
      }
    }
  }
  return new Map([...found].map(([id, referrers]) => [id, referenceReport(referrers)]));
}

export interface TrashPreviewEntry {
  type: EntityType;
  id: string;
  title: string;
  /** Live entries outside the batch that keep a link to this one, one row per entry. */
  referrers: Referrer[];
  /** "Appears in 3 videos." */
  summary: string;
}

/** An entry asked about for the trash, as it is now: the version a confirmed move names (`rev`). */
export interface TrashPreviewVersion {
  type: EntityType;
  id: string;
  title: string;
  rev: string;
  /** Moved to the trash already (by someone else meanwhile, or before). */
  inTrash: boolean;
  updatedBy: { id?: string; name?: string } | null;
}

/**
 * What moving `items` to the trash leaves behind: for each entry that live
 * entries outside the batch link to, those entries. Links already in the
 * trash, or trashed along in the same batch, are left out: nobody sees them.
 * Entries nothing live links to are not listed in `linked`; `versions` holds
 * every asked entry as it is now (those gone for good are left out).
 */
export async function previewTrash(
  ctx: ServiceContext,
  items: { type: EntityType; id: string }[],
): Promise<{ linked: TrashPreviewEntry[]; versions: TrashPreviewVersion[] }> {
  const reports = await findReferrersOfMany(ctx, items);
  const versions: TrashPreviewVersion[] = [];
  for (const type of new Set(items.map((item) => item.type))) {
    const ids = items.filter((item) => item.type === type).map((item) => item.id);
    const found = await ctx.database.entities[type].findByIds(ids).exec();
    for (const id of ids) {
      const document = found.get(id)?.toJSON() as DocumentData | undefined;
      if (!document) continue;
      versions.push({
        type,
        id,
        title: titleOf(type, document),
        rev: String(document.rev),
        inTrash: document.deletedAt !== null,
        updatedBy: (document.updatedBy as TrashPreviewVersion['updatedBy'] | undefined) ?? null,
      });
    }
  }
  const byId = new Map(versions.map((version) => [version.id, version]));
  const linked: TrashPreviewEntry[] = [];
  for (const item of items) {
    const referrers = linkedFromOutside(reports.get(item.id)!.referrers, items);
    if (referrers.length === 0) continue;
    const title =
      byId.get(item.id)?.title ?? titleOf(item.type, (await loadDocument(ctx, item.type, item.id)).toJSON());
    linked.push({ type: item.type, id: item.id, title, referrers, summary: summarize(referrers) });
  }
  return { linked, versions };
}

/** The live entries outside the batch `items` among `referrers`, once each: the links a move to the trash leaves. */
export function linkedFromOutside(referrers: Referrer[], items: { id: string }[]): Referrer[] {
  const inBatch = new Set(items.map((item) => item.id));
  const seen = new Set<string>();
  return referrers.filter((referrer) => {
    if (referrer.inTrash || inBatch.has(referrer.id) || seen.has(referrer.id)) return false;
    seen.add(referrer.id);
    return true;
  });
}

/** A report of `referrers`, with its summary in words. */
export function referenceReport(referrers: Referrer[]): ReferenceReport {
  return { referrers, summary: summarize(referrers) };
}

function summarize(referrers: Referrer[]): string {
  if (referrers.length === 0) return 'Nothing refers to this entry.';
  const perType = new Map<EntityType, Set<string>>();
  for (const r of referrers) perType.set(r.type, (perType.get(r.type) ?? new Set()).add(r.id));
  const parts = [...perType].map(([type, ids]) => countedEntries(type, ids.size));
  return `Appears in ${parts.join(', ')}.`;
}

/** Removes `id` from every referrer, one audited `reference.remove` update each. Call inside a write. */
export async function removeReferences(ctx: ServiceContext, report: ReferenceReport, id: string): Promise<void> {
  await removeReferencesToMany(ctx, new Map([[id, report]]));
}

/**
 * Removes each target id (the map's keys) from the referrers its report lists: one audited
 * `reference.remove` update per referring entry, however many of the targets it links to. Call inside a
 * write. (A transaction reads its own writes, so a referrer written twice would work too; one update
 * per referrer is what the audit trail should show.)
 */
export async function removeReferencesToMany(
  ctx: ServiceContext,
  reports: Map<string, ReferenceReport>,
): Promise<void> {
  const byReferrer = new Map<string, { type: EntityType; id: string; links: { field: string; target: string }[] }>();
  for (const [target, report] of reports) {
    for (const referrer of report.referrers) {
      const key = `${referrer.type}:${referrer.id}`;
      const entry = byReferrer.get(key) ?? { type: referrer.type, id: referrer.id, links: [] };
      entry.links.push({ field: referrer.field, target });
      byReferrer.set(key, entry);
    }
  }
  for (const referrer of byReferrer.values()) {
    const current = await loadDocument(ctx, referrer.type, referrer.id);
    const next = { ...(current.toJSON() as DocumentData) };
    let changed = false;
    for (const { field, target } of referrer.links) {
      const value = next[field];
      if (Array.isArray(value) && value.includes(target)) next[field] = value.filter((item) => item !== target);
      else if (value === target) delete next[field];
      else continue;
      changed = true;
    }
    if (changed) await replaceEntity(ctx, referrer.type, current, next, 'reference.remove');
  }
}
