import type { ConflictRecord } from '../conflict';
import { isEntityType } from '../entities/registry';
import type { ReplicatedCollection } from '../protocol';
import { mergeEntity, type ConflictStates, type MergeContext } from './entity-merge';
import type { Doc } from './field-merge';
import { mergeAuditEntry, mergeConflictRecord } from './record-merge';

export { arrayFieldsOf } from './array-fields';
export { jsonEqual, mergeAsSet, mergeFields, type Doc, type FieldMergeResult } from './field-merge';
export { mergeEntity, snapshotOf, type ConflictStates, type MergeContext, type MergeOutcome } from './entity-merge';
export { mergeConflictRecord } from './record-merge';

/**
 * Resolves a replication conflict in any replicated collection: entities
 * merge per field, conflict records keep a closed state, audit entries keep
 * the server's (immutable) entry.
 */
export function resolveConflict(
  collection: ReplicatedCollection,
  states: ConflictStates,
  context: MergeContext,
): { document: Doc; conflict: ConflictRecord | null } {
  if (isEntityType(collection)) return mergeEntity(collection, states, context);
  if (collection === 'conflicts') return { document: mergeConflictRecord(states.local, states.server), conflict: null };
  return { document: mergeAuditEntry(states.server), conflict: null };
}
export { refusedRecord, type Refusal } from './refused';
