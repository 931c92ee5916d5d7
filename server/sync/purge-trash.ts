import { randomUUID } from 'node:crypto';
import { titleOf, ENTITY_TYPES, type EntityType } from '../../shared/entities/registry';
import type { AuditEntry } from '../../shared/audit';
import type { Store } from '../store';

/** Who the server names as actor of its own writes. */
export const SERVER_ACTOR = { id: 'server', name: 'Curio server' };
const PAGE = 1000;

/**
 * Permanently deletes entries that have been in the trash longer than `days`:
 * each becomes a tombstone (`_deleted: true`, new `rev`) so clients replicate
 * the removal, and a `purge` audit entry by the server records it.
 */
export async function purgeTrash(store: Store, days: number): Promise<Record<EntityType, number>> {
  const cutoff = new Date(Date.now() - days * 86_400_000).toISOString();
  const counts = {} as Record<EntityType, number>;
  for (const type of ENTITY_TYPES) {
    const ids: string[] = [];
    let after = 0;
    for (;;) {
      const rows = await store.pull(type, after, PAGE);
      for (const row of rows) {
        const doc = JSON.parse(row.json) as { deletedAt: string | null; _deleted: boolean };
        if (!doc._deleted && doc.deletedAt !== null && doc.deletedAt < cutoff) ids.push(row.id);
      }
      if (rows.length < PAGE) break;
      after = rows[rows.length - 1]!.sequence;
    }
    const purged: AuditEntry[] = [];
    await store.commit(type, ids, (current) => {
      const writes = [];
      for (const [id, json] of current) {
        const doc = JSON.parse(json) as Record<string, unknown> & { deletedAt: string | null; _deleted: boolean };
        if (doc._deleted || doc.deletedAt === null || doc.deletedAt >= cutoff) continue;
        writes.push({ id, json: JSON.stringify({ ...doc, rev: randomUUID(), _deleted: true }), deleted: true });
        purged.push({
          id: randomUUID(),
          rev: randomUUID(),
          at: new Date().toISOString(),
          actor: SERVER_ACTOR,
          device: 'server',
          action: 'purge',
          entityType: type,
          entityId: id,
          entityTitle: titleOf(type, doc).slice(0, 300),
          changes: [],
        });
      }
      return { writes, result: null };
    });
    if (purged.length > 0) {
      await store.commit(
        'audit',
        purged.map((entry) => entry.id),
        () => ({
          writes: purged.map((entry) => ({
            id: entry.id,
            json: JSON.stringify({ ...entry, _deleted: false }),
            deleted: false,
          })),
          result: null,
        }),
      );
    }
    counts[type] = purged.length;
  }
  return counts;
}
