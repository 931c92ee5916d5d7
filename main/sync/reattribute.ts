import type { RxCollection } from 'rxdb';
import type { Actor } from '../../shared/entities/envelope';
import type { Doc } from '../../shared/merge';

const ACTOR_FIELDS = ['createdBy', 'updatedBy', 'deletedBy'] as const;

/**
 * Hands the local profile's work to the user who signs in for the first time.
 * These changes never left the device, so rewriting who made them harms no
 * replica. Entries and audit entries alike take the account's id and name:
 * the server binds every actor it accepts to the pushing account (ACTOR-4).
 */
export async function reattributeLocalWork(
  collections: { entities: RxCollection<Doc>[]; audit: RxCollection<Doc> },
  from: Actor,
  to: Actor,
): Promise<number> {
  if (from.id === to.id) return 0;
  let changed = 0;
  for (const collection of collections.entities) {
    const documents = await collection
      .find({ selector: { $or: ACTOR_FIELDS.map((field) => ({ [`${field}.id`]: from.id })) } })
      .exec();
    for (const document of documents) {
      await document.incrementalModify((data) => {
        const next = { ...data };
        for (const field of ACTOR_FIELDS) {
          const actor = next[field] as Actor | null | undefined;
          if (actor?.id === from.id) next[field] = to;
        }
        return next;
      });
      changed++;
    }
  }
  const entries = await collections.audit.find({ selector: { 'actor.id': from.id } }).exec();
  for (const entry of entries) {
    await entry.incrementalModify((data) => ({ ...data, actor: to }));
    changed++;
  }
  return changed;
}
