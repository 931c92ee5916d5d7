import { ENTITY_TYPES, entities, titleOf, type EntityType } from '../../shared/entities/registry';
import type { DocumentData } from '../database';
import type { ServiceContext } from './context';
import { loadDocument } from './entities';
import { replaceEntity } from './writes';

export interface Referrer {
  type: EntityType;
  id: string;
  title: string;
  field: string;
  inTrash: boolean;
}

export interface ReferenceReport {
  referrers: Referrer[];
  /** In words, for the confirmation dialog: "appears in 15 videos". */
  summary: string;
}

/** Every document (live or in the trash) whose reference fields point at `id`. */
export async function findReferrers(ctx: ServiceContext, target: EntityType, id: string): Promise<ReferenceReport> {
  const referrers: Referrer[] = [];
  for (const type of ENTITY_TYPES) {
    for (const reference of entities[type].references) {
      if (reference.target !== target) continue;
      // On a list field, equality means "contains".
      const found = await ctx.database.entities[type].find({ selector: { [reference.field]: id } }).exec();
      for (const document of found) {
        const data = document.toJSON() as DocumentData;
        referrers.push({
          type,
          id: document.primary,
          title: titleOf(type, data),
          field: reference.field,
          inTrash: data.deletedAt !== null,
        });
      }
    }
  }
  return { referrers, summary: summarize(referrers) };
}

function summarize(referrers: Referrer[]): string {
  if (referrers.length === 0) return 'Nothing refers to this entry.';
  const perType = new Map<EntityType, Set<string>>();
  for (const r of referrers) perType.set(r.type, (perType.get(r.type) ?? new Set()).add(r.id));
  const parts = [...perType].map(([type, ids]) => {
    const label = ids.size === 1 ? entities[type].label : entities[type].pluralLabel;
    return `${ids.size} ${label.toLowerCase()}`;
  });
  return `Appears in ${parts.join(', ')}.`;
}

/** Removes `id` from every referrer, one audited `reference.remove` update each. Call inside a write. */
export async function removeReferences(ctx: ServiceContext, report: ReferenceReport, id: string): Promise<void> {
  for (const referrer of report.referrers) {
    const current = await loadDocument(ctx, referrer.type, referrer.id);
    const data = current.toJSON() as DocumentData;
    const value = data[referrer.field];
    const next = { ...data };
    if (Array.isArray(value)) next[referrer.field] = value.filter((item) => item !== id);
    else if (value === id) delete next[referrer.field];
    else continue;
    await replaceEntity(ctx, referrer.type, current, next, 'reference.remove');
  }
}
