import { randomUUID } from 'node:crypto';
import { titleOf, ENTITY_TYPES, entities, type EntityType } from '../../shared/entities/registry';
import type { AuditEntry, FieldChange } from '../../shared/audit';
import { counted, countedEntries, oneOrMany } from '../../shared/readable';
import type { Store } from '../store';

/** Who the server names as actor of its own writes. */
export const SERVER_ACTOR = { id: 'server', name: 'Curio server' };
const PAGE = 1000;

type StoredDoc = Record<string, unknown> & { id: string; deletedAt: string | null; _deleted: boolean };

/** An entry that stays but loses its links to purged entries. */
export interface PurgeReferrer {
  type: EntityType;
  id: string;
  title: string;
  /** Links to purged entries it loses. */
  removed: number;
}

/** An entry a purge deletes. */
export interface PurgeEntry {
  type: EntityType;
  id: string;
  title: string;
}

/** What a purge deletes (per type), the entries themselves and which links it removes. */
export interface PurgeSummary {
  counts: Record<EntityType, number>;
  total: number;
  /** The entries deleted (or, in a plan, to be deleted: no other), by title. */
  entries: PurgeEntry[];
  references: { total: number; entries: PurgeReferrer[] };
}

/** What a purge of entries in the trash for more than `days` days will do: shown, then confirmed, then done. */
export interface PurgePlan {
  days: number;
  /** What the plan shows; its `entries` are the ones due when the plan was made, and the purge deletes no other. */
  summary: PurgeSummary;
}

/**
 * Finds the entries that have been in the trash longer than `days` (PURGE-1)
 * and the links to them that a purge would remove; writes nothing (PURGE-2).
 */
export async function planPurge(store: Store, days: number): Promise<PurgePlan> {
  const isDue = dueTest(days);
  const due: PurgeEntry[] = [];
  for (const type of ENTITY_TYPES) {
    for await (const doc of scan(store, type)) {
      if (isDue(doc)) due.push({ type, id: doc.id, title: titleOf(type, doc) });
    }
  }
  return { days, summary: summarize(due, await findReferrers(store, idsByType(due))) };
}

/**
 * Permanently deletes the entries of `plan` that are still due (PURGE-1): an
 * entry trashed after the plan was shown is not touched, one restored
 * meanwhile is kept. First each becomes a tombstone (`_deleted: true`, new
 * `rev`) with a `purge` audit entry, then every remaining entry that links to
 * a purged one loses that link (new `rev`, a `reference.remove` audit entry),
 * as a purge in the app does.
 */
export async function purgeTrash(store: Store, plan: PurgePlan): Promise<PurgeSummary> {
  const isDue = dueTest(plan.days);
  const due = idsByType(plan.summary.entries);
  const done: PurgeEntry[] = [];
  for (const type of ENTITY_TYPES) done.push(...(await tombstone(store, type, [...due.get(type)!], isDue)));
  const purged = idsByType(done);
  const referrers = await findReferrers(store, purged);
  await removeLinks(store, referrers, purged);
  return summarize(done, referrers);
}

/** The ids of `entries` by type (every type present), for the lookups of a purge. */
function idsByType(entries: PurgeEntry[]): Map<EntityType, Set<string>> {
  const ids = new Map(ENTITY_TYPES.map((type) => [type, new Set<string>()]));
  for (const { type, id } of entries) ids.get(type)!.add(id);
  return ids;
}

function dueTest(days: number): (doc: StoredDoc) => boolean {
  const cutoff = new Date(Date.now() - days * 86_400_000).toISOString();
  return (doc) => !doc._deleted && doc.deletedAt !== null && doc.deletedAt < cutoff;
}

async function* scan(store: Store, type: EntityType): AsyncGenerator<StoredDoc> {
  let after = 0;
  for (;;) {
    const rows = await store.pull(type, after, PAGE);
    for (const row of rows) yield JSON.parse(row.json) as StoredDoc;
    if (rows.length < PAGE) return;
    after = rows[rows.length - 1]!.sequence;
  }
}

/** The links each surviving entry has to the given (purged) ids, per reference field. */
type Referrers = Map<string, { type: EntityType; title: string; fields: Map<string, string[]> }>;

async function findReferrers(store: Store, targets: Map<EntityType, Set<string>>): Promise<Referrers> {
  const found: Referrers = new Map();
  for (const type of ENTITY_TYPES) {
    const references = entities[type].references.filter((r) => targets.get(r.target as EntityType)!.size > 0);
    if (references.length === 0) continue;
    for await (const doc of scan(store, type)) {
      if (doc._deleted || targets.get(type)!.has(doc.id)) continue;
      for (const reference of references) {
        const linked = linksOf(doc, reference.field).filter((id) =>
          targets.get(reference.target as EntityType)!.has(id),
        );
        if (linked.length === 0) continue;
        const entry = found.get(doc.id) ?? { type, title: titleOf(type, doc), fields: new Map() };
        entry.fields.set(reference.field, linked);
        found.set(doc.id, entry);
      }
    }
  }
  return found;
}

function linksOf(doc: StoredDoc, field: string): string[] {
  const value = doc[field];
  return Array.isArray(value) ? (value as string[]) : typeof value === 'string' ? [value] : [];
}

/** Tombstones the ids that are still due when the writer lock is held; returns those purged. */
async function tombstone(
  store: Store,
  type: EntityType,
  ids: string[],
  isDue: (doc: StoredDoc) => boolean,
): Promise<PurgeEntry[]> {
  const entries: AuditEntry[] = [];
  const done: PurgeEntry[] = [];
  await store.commit(type, ids, (current) => {
    const writes = [];
    for (const [id, json] of current) {
      const doc = JSON.parse(json) as StoredDoc;
      if (!isDue(doc)) continue;
      writes.push({ id, json: JSON.stringify({ ...doc, rev: randomUUID(), _deleted: true }), deleted: true });
      entries.push(serverAudit('purge', type, doc, []));
      done.push({ type, id, title: titleOf(type, doc) });
    }
    return { writes, result: null };
  });
  await appendAudit(store, entries);
  return done;
}

/** Removes links to purged entries, re-reading each referrer under the writer lock. */
async function removeLinks(store: Store, referrers: Referrers, purged: Map<EntityType, Set<string>>) {
  for (const type of ENTITY_TYPES) {
    const ids = [...referrers].filter(([, r]) => r.type === type).map(([id]) => id);
    if (ids.length === 0) continue;
    const entries: AuditEntry[] = [];
    const at = new Date().toISOString();
    await store.commit(type, ids, (current) => {
      const writes = [];
      for (const [id, json] of current) {
        const doc = JSON.parse(json) as StoredDoc;
        if (doc._deleted) continue;
        const next: StoredDoc = { ...doc };
        const changes: FieldChange[] = [];
        for (const reference of entities[type].references) {
          const gone = purged.get(reference.target as EntityType)!;
          const value = doc[reference.field];
          if (Array.isArray(value) && value.some((v) => gone.has(v as string))) {
            next[reference.field] = value.filter((v) => !gone.has(v as string));
          } else if (typeof value === 'string' && gone.has(value)) delete next[reference.field];
          else continue;
          changes.push({ field: reference.field, from: value, to: next[reference.field] ?? null });
        }
        if (changes.length === 0) continue;
        Object.assign(next, { rev: randomUUID(), updatedAt: at, updatedBy: SERVER_ACTOR });
        writes.push({ id, json: JSON.stringify(next), deleted: false });
        entries.push(serverAudit('reference.remove', type, next, changes));
      }
      return { writes, result: null };
    });
    await appendAudit(store, entries);
  }
}

function serverAudit(action: 'purge' | 'reference.remove', type: EntityType, doc: StoredDoc, changes: FieldChange[]) {
  return {
    id: randomUUID(),
    rev: randomUUID(),
    at: new Date().toISOString(),
    actor: SERVER_ACTOR,
    device: 'server',
    action,
    entityType: type,
    entityId: doc.id,
    entityTitle: titleOf(type, doc).slice(0, 300),
    changes,
  } satisfies AuditEntry;
}

async function appendAudit(store: Store, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await store.commit(
    'audit',
    entries.map((entry) => entry.id),
    () => ({
      writes: entries.map((entry) => ({
        id: entry.id,
        json: JSON.stringify({ ...entry, _deleted: false }),
        deleted: false,
      })),
      result: null,
    }),
  );
}

function summarize(deleted: PurgeEntry[], referrers: Referrers): PurgeSummary {
  const counts = Object.fromEntries(ENTITY_TYPES.map((type) => [type, 0])) as Record<EntityType, number>;
  for (const { type } of deleted) counts[type] += 1;
  const entries = [...referrers]
    .map(([id, r]) => ({
      type: r.type,
      id,
      title: r.title,
      removed: [...r.fields.values()].reduce((n, ids) => n + ids.length, 0),
    }))
    .sort((a, b) => a.title.localeCompare(b.title));
  return {
    counts,
    total: deleted.length,
    entries: [...deleted].sort((a, b) => a.title.localeCompare(b.title)),
    references: { total: entries.reduce((n, e) => n + e.removed, 0), entries },
  };
}

/** At most this many entries are named one by one; the rest are counted. */
const NAMED = 20;

const entryWords = (e: { type: EntityType; title: string }) => `  ${entities[e.type].label.toLowerCase()} "${e.title}"`;

function countsWords(summary: PurgeSummary): string {
  const types = ENTITY_TYPES.filter((type) => summary.counts[type] > 0).map((type) =>
    countedEntries(type, summary.counts[type]),
  );
  return `${types.join(', ')} (${summary.total} in all)`;
}

/** The plan in words for the CLI (PURGE-2): what will be deleted, by name, and which entries lose links. */
export function describePurgePlan(plan: PurgePlan): string {
  const { summary } = plan;
  const since = `in the trash for more than ${counted(plan.days, 'day')}`;
  if (summary.total === 0) return `Nothing has been ${since}: nothing to delete.`;
  const named = summary.entries.slice(0, NAMED);
  const unnamed = summary.entries.length - named.length;
  const { references } = summary;
  return [
    `To delete permanently, ${since}: ${countsWords(summary)}:`,
    ...named.map(entryWords),
    ...(unnamed > 0 ? [`  and ${counted(unnamed, 'more entry', 'more entries')}`] : []),
    references.total === 0
      ? 'No other entry links to them.'
      : `Links to them to remove: ${references.total}, from ${counted(references.entries.length, 'entry', 'entries')}:`,
    ...references.entries.map((e) => `${entryWords(e)} (${e.removed})`),
  ].join('\n');
}

/** What the purge did, against what it showed: entries restored or trashed again meanwhile were kept. */
export function describePurgeDone(done: PurgeSummary, plan: PurgePlan): string {
  const kept = plan.summary.total - done.total;
  const links = done.references.total;
  return [
    done.total === 0 ? 'Nothing was deleted.' : `Deleted permanently: ${countsWords(done)}.`,
    ...(links > 0
      ? [
          `Removed ${counted(links, 'link')} to them from ${counted(done.references.entries.length, 'entry', 'entries')}.`,
        ]
      : []),
    ...(kept > 0
      ? [
          `${counted(kept, 'entry', 'entries')} shown above ${oneOrMany(kept, 'was', 'were')} restored or moved to the trash again meanwhile, and kept.`,
        ]
      : []),
  ].join('\n');
}
