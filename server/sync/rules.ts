import { documentSchemaOf } from '../../shared/document-schemas';
import { entities, isEntityType } from '../../shared/entities/registry';
import type { ErrorCode } from '../../shared/errors';
import type { ReplicatedCollection } from '../../shared/protocol';
import { fieldLabel, humanize } from '../../shared/readable';
import { describeFieldErrors, toFieldErrors, type LabelOf } from '../../shared/validation';
import type { AuthUser } from '../auth';

/** A pushed document: the collection's zod document plus the `_deleted` tombstone flag. */
export type PushedDocument = Record<string, unknown> & { id: string; rev: string; _deleted: boolean };

/** Why a row was refused (protocol PUSH-5): a code, a reason, and the paths of the fields at fault when known. */
export interface Refusal {
  code: ErrorCode;
  reason: string;
  fields?: string[];
}

/** What a refused document is called, and how its fields are named, in a reason: as the app shows them. */
function wordsFor(collection: ReplicatedCollection): { what: string; labelOf: LabelOf } {
  if (collection === 'audit') return { what: 'This audit entry', labelOf: humanize };
  if (collection === 'conflicts') return { what: 'This conflict record', labelOf: humanize };
  return {
    what: `This ${entities[collection].label.toLowerCase()}`,
    labelOf: (field) => fieldLabel(collection, field),
  };
}

function refusal(code: ErrorCode, reason: string): Refusal {
  return { code, reason };
}

/**
 * The checks that need no stored state: shape (shared zod schema of the
 * client's version, SCHEMA-4), role and recorded actor. Returns null when the
 * row may go on to conflict detection.
 */
export function checkRow(
  collection: ReplicatedCollection,
  document: Record<string, unknown>,
  user: AuthUser,
  version: number,
): Refusal | null {
  const { _deleted: deleted, ...fields } = document;
  if (typeof deleted !== 'boolean') {
    return { ...refusal('VALIDATION', 'The document must carry `_deleted` as true or false.'), fields: ['_deleted'] };
  }
  const parsed = documentSchemaOf(collection, version).safeParse(fields);
  if (!parsed.success) {
    const { what, labelOf } = wordsFor(collection);
    const details = describeFieldErrors(toFieldErrors(parsed.error), labelOf);
    return {
      ...refusal('VALIDATION', `${what} is not valid. ${details}`),
      fields: parsed.error.issues.flatMap((issue) =>
        issue.code === 'unrecognized_keys'
          ? issue.keys.map((key) => [...issue.path, key].join('.'))
          : [issue.path.join('.') || '(document)'],
      ),
    };
  }
  if (isEntityType(collection)) {
    if (deleted && user.role !== 'admin') {
      return refusal('FORBIDDEN', 'Only admins can delete entries permanently; move the entry to the trash instead.');
    }
    // NOTE: a tombstone keeps the fields of the last write, so its updatedBy may be someone else.
    const updatedBy = fields.updatedBy as { id: string };
    if (!deleted && updatedBy.id !== user.id) {
      return refusal(
        'FORBIDDEN',
        `The change is recorded as made by "${updatedBy.id}", but you are signed in as "${user.id}".`,
      );
    }
    return null;
  }
  if (collection === 'audit') {
    if (deleted) return refusal('FORBIDDEN', 'Audit entries are append-only and cannot be deleted.');
    const actor = fields.actor as { id: string };
    if (actor.id !== user.id) {
      return refusal(
        'FORBIDDEN',
        `The audit entry names "${actor.id}" as its actor, but you are signed in as "${user.id}".`,
      );
    }
    return null;
  }
  if (user.role !== 'admin') {
    if (deleted) return refusal('FORBIDDEN', 'Only admins can delete conflict records.');
    if (fields.status !== 'open') return refusal('FORBIDDEN', 'Only admins can resolve or dismiss conflicts.');
  }
  return null;
}

/** Checks that compare with the stored document (already known to exist). */
export function checkAgainstStored(
  collection: ReplicatedCollection,
  stored: Record<string, unknown>,
  document: Record<string, unknown>,
  user: AuthUser,
): Refusal | null {
  if (collection === 'audit') {
    return refusal('FORBIDDEN', 'Audit entries are append-only; an entry with this id already exists.');
  }
  if (collection === 'conflicts' && user.role !== 'admin' && stored.status !== document.status) {
    return refusal('FORBIDDEN', 'Only admins can resolve or dismiss conflicts.');
  }
  return null;
}
