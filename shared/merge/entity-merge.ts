import type { ConflictRecord } from '../conflict';
import { conflictIdFor } from '../conflict';
import type { Actor } from '../entities/envelope';
import { ENVELOPE_FIELDS } from '../entities/envelope';
import { titleOf, type EntityType } from '../entities/registry';
import { deleteConflictReason, mergeConflictReason } from '../readable/conflict-words';
import { arrayFieldsOf } from './array-fields';
import { jsonEqual, mergeFields, type Doc } from './field-merge';

/** What the merge needs from its surroundings, passed in so the merge stays pure. */
export interface MergeContext {
  /** Who writes the merged document (the signed-in user); also the detector of a conflict. */
  actor: Actor;
  /** The current time as an ISO timestamp. */
  now: string;
  /** A fresh replication revision. */
  newRev: () => string;
}

/** The three states of a document in conflict, as replication sees them (`_deleted` = permanent delete). */
export interface ConflictStates {
  base: Doc | null;
  local: Doc;
  server: Doc;
}

export interface MergeOutcome {
  /** The state to keep locally and push on top of the server's state. */
  document: Doc;
  /** A record for the conflicts screen, when something needs an admin's eye. */
  conflict: ConflictRecord | null;
}

/** Envelope fields the merge sets itself instead of merging them field by field. */
const ENVELOPE_SKIP = new Set<string>(ENVELOPE_FIELDS.filter((field) => field !== 'deletedAt'));

/** Document fields only: RxDB's own `_deleted`, `_rev`, `_meta` stay out of records. */
export function snapshotOf(document: Doc | null): Doc | null {
  if (!document) return null;
  const snapshot: Doc = {};
  for (const key in document) if (!key.startsWith('_')) snapshot[key] = document[key];
  return snapshot;
}

const isDeleted = (document: Doc) => document._deleted === true;

/**
 * Resolves a replication conflict of one entity document (see the design's
 * Conflicts section): a three-way merge per field with the assumed master as
 * base; edit versus permanent delete keeps the edit and records the delete;
 * edit versus trash applies both.
 */
export function mergeEntity(type: EntityType, states: ConflictStates, context: MergeContext): MergeOutcome {
  const { local, server } = states;
  if (isDeleted(local) && isDeleted(server)) return { document: server, conflict: null };
  if (isDeleted(local)) {
    // The server's edit wins over the delete made here; the delete waits for an admin to confirm it.
    return { document: server, conflict: conflictRecord(type, states, server, [], 'delete', context) };
  }

  const { merged: fields, contested } = mergeFields({
    base: states.base,
    local,
    server,
    arrayFields: arrayFieldsOf(type),
    skip: ENVELOPE_SKIP,
  });
  // Trashed on both sides is agreement, whatever the two times say.
  if (server.deletedAt != null && local.deletedAt != null) fields.deletedAt = server.deletedAt;
  const contestedFields = contested.filter((field) => field !== 'deletedAt');
  const deletedBy = jsonEqual(fields.deletedAt ?? null, server.deletedAt ?? null) ? server.deletedBy : local.deletedBy;

  if (!isDeleted(server) && sameContent(fields, server)) {
    // Nothing of the local change survives the merge: keep the server's state as it is,
    // and keep what lost in a record when it differed.
    const conflict =
      contestedFields.length > 0 ? conflictRecord(type, states, server, contestedFields, 'merge', context) : null;
    return { document: server, conflict };
  }
  const document: Doc = {
    ...fields,
    id: server.id,
    rev: context.newRev(),
    createdAt: server.createdAt,
    createdBy: server.createdBy,
    updatedAt: context.now,
    updatedBy: context.actor,
    deletedAt: fields.deletedAt ?? null,
    deletedBy: fields.deletedAt == null ? null : (deletedBy ?? context.actor),
    _deleted: false,
  };
  const kind = isDeleted(server) ? 'delete' : 'merge';
  const conflict =
    kind === 'delete' || contestedFields.length > 0
      ? conflictRecord(type, states, document, contestedFields, kind, context)
      : null;
  return { document, conflict };
}

/** Whether the merged fields are exactly the server's (envelope bookkeeping aside). */
function sameContent(fields: Doc, server: Doc): boolean {
  const serverFields: Doc = {};
  for (const key in server) if (!ENVELOPE_SKIP.has(key) && !key.startsWith('_')) serverFields[key] = server[key];
  return jsonEqual(
    { ...fields, deletedAt: fields.deletedAt ?? null },
    { ...serverFields, deletedAt: server.deletedAt ?? null },
  );
}

function reasonFor(
  type: EntityType,
  kind: 'merge' | 'delete',
  states: ConflictStates,
  fields: string[],
  context: MergeContext,
): string {
  if (kind === 'merge') return mergeConflictReason(type, fields);
  // The delete made here is the signed-in person's; the server's delete does not say whose it was.
  const nameOf = (document: Doc) => (document.updatedBy as { name?: string } | null)?.name ?? null;
  return deleteConflictReason(
    type,
    isDeleted(states.server)
      ? { deleteFirst: true, deleter: null, editor: nameOf(states.local) }
      : { deleteFirst: false, deleter: context.actor.name, editor: nameOf(states.server) },
  );
}

function conflictRecord(
  type: EntityType,
  states: ConflictStates,
  merged: Doc,
  fields: string[],
  kind: 'merge' | 'delete',
  context: MergeContext,
): ConflictRecord {
  const { local, server } = states;
  return {
    id: conflictIdFor(String(server.id), String(local.rev), String(server.rev)),
    rev: context.newRev(),
    kind,
    entityType: type,
    entityId: String(server.id),
    entityTitle: titleOf(type, isDeleted(merged) ? local : merged).slice(0, 300),
    base: snapshotOf(states.base),
    local: snapshotOf(local),
    server: snapshotOf(server),
    merged: snapshotOf(merged),
    fields,
    reason: reasonFor(type, kind, states, fields, context),
    detectedAt: context.now,
    detectedBy: context.actor,
    status: 'open',
    closedAt: null,
    closedBy: null,
  };
}
