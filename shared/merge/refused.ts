import { conflictIdFor, type ConflictRecord } from '../conflict';
import { ENVELOPE_FIELDS } from '../entities/envelope';
import { isEntityType, titleOf } from '../entities/registry';
import type { ReplicatedCollection } from '../protocol';
import type { MergeContext } from './entity-merge';
import { snapshotOf } from './entity-merge';
import { jsonEqual, type Doc } from './field-merge';

/** What the server said about a refused row (protocol PUSH-5). */
export interface Refusal {
  code: string;
  reason: string;
}

/** The revision a record names for "nothing on the server". */
const NO_SERVER_STATE = 'none';

/** Fields whose value differs between the state kept and the refused one. */
function changedFields(kept: Doc | null, refused: Doc): string[] {
  const skip = new Set<string>(ENVELOPE_FIELDS.filter((field) => field !== 'deletedAt'));
  const fields = new Set([...Object.keys(refused), ...Object.keys(kept ?? {})]);
  return [...fields].filter(
    (field) => !skip.has(field) && !field.startsWith('_') && !jsonEqual(kept?.[field], refused[field]),
  );
}

/**
 * A `refused` conflict record for a row the server would not store. It holds
 * the refused content in `local`, so nothing an editor typed is lost, and the
 * state the document goes back to in `server`. Null for collections whose
 * rows cannot be shown as an entity change (conflict records themselves).
 */
export function refusedRecord(
  collection: ReplicatedCollection,
  row: { assumedMasterState: Doc | null; newDocumentState: Doc },
  refusal: Refusal,
  context: MergeContext,
): ConflictRecord | null {
  // An audit entry only describes a change; the entity row carrying what was typed gets the record.
  if (!isEntityType(collection)) return null;
  const refused = row.newDocumentState;
  const kept = row.assumedMasterState;
  const entityId = String(refused.id);
  return {
    id: conflictIdFor(entityId, String(refused.rev), kept ? String(kept.rev) : NO_SERVER_STATE),
    rev: context.newRev(),
    kind: 'refused',
    entityType: collection,
    entityId,
    entityTitle: titleOf(collection, refused).slice(0, 300),
    base: snapshotOf(kept),
    local: snapshotOf(refused),
    server: snapshotOf(kept),
    merged: null,
    fields: changedFields(kept, refused).slice(0, 100),
    reason: `The server refused this change (${refusal.code}): ${refusal.reason}`.slice(0, 2000),
    detectedAt: context.now,
    detectedBy: context.actor,
    status: 'open',
    closedAt: null,
    closedBy: null,
  };
}
