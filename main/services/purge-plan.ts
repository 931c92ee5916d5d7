import { ENTITY_TYPES, type EntityType } from '../../shared/entities/registry';
import { AppError } from '../../shared/errors';
import type { ServiceContext } from './context';
import { previewToken } from './preview-token';
import { findReferrersOfMany, type ReferenceReport } from './references';

/** Which trashed entries a purge takes: those older than the retention floor or more, or all of them. */
export interface PurgeScope {
  /** Days in the trash; never below the retention setting. Default: the retention setting. */
  olderThanDays?: number;
  /** Everything in the trash, however recent: the explicit way below the retention floor. */
  everything?: boolean;
}

/** An entry that keeps living but loses references to purged entries. */
export interface PurgeReferrer {
  type: EntityType;
  id: string;
  title: string;
  /** How many references to purged entries it loses. */
  removed: number;
}

export interface PurgePreview {
  /** Pass back to `purge`: it refuses if what it would delete differs from this preview. */
  token: string;
  everything: boolean;
  /** The age limit applied; null with `everything`. */
  olderThanDays: number | null;
  retentionDays: number;
  counts: Record<EntityType, number>;
  total: number;
  references: { total: number; entries: PurgeReferrer[] };
}

export interface PurgePlan {
  preview: PurgePreview;
  due: { type: EntityType; id: string }[];
  /** Per purged entry, its referrers outside the purge (the others go with it). */
  reports: Map<string, ReferenceReport>;
}

const LISTED_REFERRERS = 200;

/** What a purge of `scope` would delete and which references it would remove. Reads only. */
export async function planPurge(ctx: ServiceContext, retentionDays: number, scope: PurgeScope): Promise<PurgePlan> {
  const everything = scope.everything === true;
  const days = everything ? null : (scope.olderThanDays ?? retentionDays);
  if (days !== null && days < retentionDays) {
    throw new AppError(
      'VALIDATION',
      `Entries stay in the trash at least ${retentionDays} days (the retention in Settings). Purge older than ${retentionDays} days or more, or choose "Everything in the trash".`,
      [{ field: 'olderThanDays', message: `At least ${retentionDays} days.` }],
    );
  }
  const cutoff = new Date(ctx.now().getTime() - (days ?? 0) * 86_400_000).toISOString();
  const due: PurgePlan['due'] = [];
  const counts = Object.fromEntries(ENTITY_TYPES.map((type) => [type, 0])) as Record<EntityType, number>;
  for (const type of ENTITY_TYPES) {
    const found = await ctx.database.entities[type]
      .find({ selector: { deletedAt: { $gt: '', $lte: cutoff } }, index: ['deletedAt', 'id'] })
      .exec();
    for (const doc of found) due.push({ type, id: doc.primary });
    counts[type] = found.length;
  }
  const purged = new Set(due.map((item) => item.id));
  const reports = new Map<string, ReferenceReport>();
  const referrers = new Map<string, PurgeReferrer>();
  for (const [id, report] of await findReferrersOfMany(ctx, due)) {
    const outside = report.referrers.filter((referrer) => !purged.has(referrer.id));
    reports.set(id, { ...report, referrers: outside });
    for (const referrer of outside) {
      const entry = referrers.get(referrer.id) ?? {
        type: referrer.type,
        id: referrer.id,
        title: referrer.title,
        removed: 0,
      };
      entry.removed++;
      referrers.set(referrer.id, entry);
    }
  }
  const listed = [...referrers.values()].sort((a, b) => a.title.localeCompare(b.title));
  const fingerprint = [
    due.map((item) => `${item.type}:${item.id}`).sort(),
    [...reports].flatMap(([id, report]) => report.referrers.map((r) => `${r.id}:${r.field}:${id}`)).sort(),
  ];
  return {
    due,
    reports,
    preview: {
      token: previewToken(fingerprint),
      everything,
      olderThanDays: days,
      retentionDays,
      counts,
      total: due.length,
      references: {
        total: listed.reduce((sum, r) => sum + r.removed, 0),
        entries: listed.slice(0, LISTED_REFERRERS),
      },
    },
  };
}
