import type { ConflictKind } from '../conflict';
import { entities, type EntityType } from '../entities/registry';
import { oneOrMany } from './counted';
import { fieldLabel } from './field-labels';

/** "Bio", "Bio and Name", "Bio, Name and Aliases". */
function listed(words: string[]): string {
  return words.length > 1 ? `${words.slice(0, -1).join(', ')} and ${words.at(-1)}` : (words[0] ?? '');
}

/**
 * What a merge conflict says (kind `merge`): the contested fields by label, the verb agreeing with
 * their count ("Bio differs", "Bio and Name differ").
 */
export function mergeConflictReason(type: EntityType, fields: string[]): string {
  const label = entities[type].label.toLowerCase();
  const labels = [...new Set(fields.map((field) => fieldLabel(type, field)))];
  const differ = oneOrMany(labels.length, 'differs', 'differ');
  return `This ${label} was changed on two devices at once: ${listed(labels)} ${differ}. The server's value was kept for now; choose the right one.`;
}

/** Who made each side of an edit-versus-permanent-delete conflict, and which reached the server first. */
export interface DeleteConflictSides {
  /** True when the delete reached the server first and the edit met it; false when the edit did. */
  deleteFirst: boolean;
  /** Who deleted the entry permanently, when known. */
  deleter: string | null;
  /** Who made the edit that was kept, when known. */
  editor: string | null;
}

/**
 * What a delete conflict (kind `delete`) says: who deleted the entry, who edited it, that the edit
 * was kept and how to confirm the delete. People by name; "someone" where the record does not say.
 */
export function deleteConflictReason(type: EntityType, sides: DeleteConflictSides): string {
  const label = entities[type].label.toLowerCase();
  const editor = sides.editor ?? 'someone';
  const deleter = sides.deleter ?? 'someone';
  const confirm = sides.deleter ? `${sides.deleter}'s delete` : 'the delete';
  const what = sides.deleteFirst
    ? `${editor} edited this ${label} while ${deleter} deleted it permanently on another device, and the delete reached the server first.`
    : `${deleter} deleted this ${label} permanently, but ${editor} had edited it on another device and that edit reached the server first.`;
  return `${what.charAt(0).toUpperCase()}${what.slice(1)} The edit was kept, so the ${label} is still here: delete it permanently after all to confirm ${confirm}, or resolve to keep the edit.`;
}

type Snapshot = Record<string, unknown> | null;
function nameOf(actor: unknown): string | null {
  const name = (actor as { name?: unknown } | null | undefined)?.name;
  return typeof name === 'string' ? name : null;
}

/**
 * The sides of a delete conflict as its record holds them. NOTE: snapshots leave out RxDB's `_deleted`;
 * the merge keeps the server's edit as it is (the same revision) when the delete was made on the device
 * that recorded the conflict, and writes a new revision over the server's delete when the edit was. So a
 * delete made there was made by the person signed in there (`detectedBy`), after the server's edit; the
 * other way round, the edit is the record's local state and the delete's author is not in the record
 * (a tombstone keeps the fields of the last write): `deleter` names them where the audit trail does.
 */
export function deleteConflictSides(
  record: { local: Snapshot; server: Snapshot; merged: Snapshot; detectedBy: { name: string } },
  deleter?: string | null,
): DeleteConflictSides {
  const deletedWhereRecorded = record.merged != null && record.merged.rev === record.server?.rev;
  if (deletedWhereRecorded) {
    return { deleteFirst: false, deleter: deleter ?? record.detectedBy.name, editor: nameOf(record.server?.updatedBy) };
  }
  return { deleteFirst: true, deleter: deleter ?? null, editor: nameOf(record.local?.updatedBy) };
}

/**
 * What the conflict screen says about a record: a merge conflict is worded from its fields (records
 * stored with earlier words, "bio differ", read the same); a delete conflict from its sides, naming the
 * `deleter` when the caller found them (the audit trail's permanent delete); the others say what their
 * record says.
 */
export function conflictReason(
  record: {
    kind: ConflictKind;
    entityType: string;
    fields: string[];
    reason: string | null;
    local?: Snapshot;
    server?: Snapshot;
    merged?: Snapshot;
    detectedBy?: { name: string };
  },
  deleter?: string | null,
): string | null {
  if (record.kind === 'delete' && record.detectedBy && record.local !== undefined && record.server !== undefined) {
    const sides = deleteConflictSides(
      { local: record.local, server: record.server, merged: record.merged ?? null, detectedBy: record.detectedBy },
      deleter,
    );
    return deleteConflictReason(record.entityType as EntityType, sides);
  }
  if (record.kind !== 'merge' || record.fields.length === 0) return record.reason;
  return mergeConflictReason(record.entityType as EntityType, record.fields);
}
