import { randomUUID } from 'node:crypto';
import { titleOf, ENTITY_TYPES, entities, type EntityType } from '../../shared/entities/registry';
import type { AuditEntry, FieldChange } from '../../shared/audit';
import { counted, countedEntries } from '../../shared/readable';
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

/** What a purge deletes (per type) and which links it removes; the same summary before and after. */
export interface PurgeSummary {
  counts: Record<EntityType, number>;
  total: number;
  references: { total: number; entries: PurgeReferrer[] };
}

/**
 * Permanently deletes entries that have been in the trash longer than `days`
 * (PURGE-1): first each due entry becomes a tombstone (`_deleted: true`, new
 * `rev`) with a `purge` audit entry, then every remaining entry that links to
 * a purged one loses that link (new `rev`, a `reference.remove` audit entry),
 * as a purge in the app does. With `dryRun` (PURGE-2) nothing is written and
 * the summary says what would happen.
 */
export async function purgeTrash(
  store: Store,
  days: number,
  options: { dryRun?: boolean } = {},
): Promise<PurgeSummary> {
  const cutoff = new Date(Date.now() - days * 86_400_000).toISOString();
  const isDue = (doc: StoredDoc) => !doc._deleted && doc.deletedAt !== null && doc.deletedAt < cutoff;
  const due = new Map<EntityType, Set<string>>();
  for (const type of ENTITY_TYPES) {
    const ids = new Set<string>();
    for await (const doc of scan(store, type)) if (isDue(doc)) ids.add(doc.id);
    due.set(type, ids);
  }
  if (options.dryRun) return summarize(due, await findReferrers(store, due));

  const purged = new Map<EntityType, Set<string>>();
  for (const type of ENTITY_TYPES) purged.set(type, await tombstone(store, type, [...due.get(type)!], isDue));
  const referrers = await findReferrers(store, purged);
  await removeLinks(store, referrers, purged);
  return summarize(purged, referrers);
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
): Promise<Set<string>> {
  const entries: AuditEntry[] = [];
  const done = new Set<string>();
  await store.commit(type, ids, (current) => {
    const writes = [];
    for (const [id, json] of current) {
      const doc = JSON.parse(json) as StoredDoc;
      if (!isDue(doc)) continue;
      writes.push({ id, json: JSON.stringify({ ...doc, rev: randomUUID(), _deleted: true }), deleted: true });
      entries.push(serverAudit('purge', type, doc, []));
      done.add(id);
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

function summarize(purged: Map<EntityType, Set<string>>, referrers: Referrers): PurgeSummary {
  const counts = Object.fromEntries(ENTITY_TYPES.map((type) => [type, purged.get(type)!.size])) as Record<
    EntityType,
    number
  >;
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
    total: Object.values(counts).reduce((n, c) => n + c, 0),
    references: { total: entries.reduce((n, e) => n + e.removed, 0), entries },
  };
}

/** The summary in words for the CLI: counts per type, links removed and from which entries. */
export function describePurge(summary: PurgeSummary, days: number): string {
  const types = ENTITY_TYPES.filter((type) => summary.counts[type] > 0).map((type) =>
    countedEntries(type, summary.counts[type]),
  );
  const lines = [
    `In the trash for more than ${counted(days, 'day')}: ${summary.total === 0 ? 'nothing' : `${types.join(', ')} (${summary.total} in all)`}.`,
    `References removed: ${summary.references.total}${summary.references.entries.length > 0 ? `, from ${counted(summary.references.entries.length, 'entry', 'entries')}:` : '.'}`,
    ...summary.references.entries.map((e) => `  ${entities[e.type].label.toLowerCase()} "${e.title}" (${e.removed})`),
  ];
  return lines.join('\n');
}
