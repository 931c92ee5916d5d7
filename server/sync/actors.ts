import { isEntityType } from '../../shared/entities/registry';
import type { ReplicatedCollection } from '../../shared/protocol';
import { accountNames, erasedAmong, pseudonymFor, type AuthUser } from '../auth';
import type { SqlDb } from '../store';
import type { Refusal } from './rules';

/** The pushing account as the actor checks see it (protocol ACTOR-1 … ACTOR-5). */
export interface Pusher {
  id: string;
  /** The account's display name now. */
  name: string;
  /** Display names the account had before; loaded only when a pushed actor names the pusher otherwise. */
  formerNames: ReadonlySet<string>;
  /** The erased accounts among the actors of this push. */
  erased: ReadonlySet<string>;
}

interface Actor {
  id: string;
  name: string;
}

type Doc = Record<string, unknown>;

/** Per collection: the actor set at creation with its timestamp (immutable after), and actors of later writes. */
const FIELDS = {
  entity: { creator: ['createdBy', 'createdAt'], writers: ['updatedBy'] },
  audit: { creator: ['actor', 'at'], writers: [] },
  conflicts: { creator: ['detectedBy', 'detectedAt'], writers: ['closedBy'] },
} as const;

function fieldsOf(collection: ReplicatedCollection) {
  return isEntityType(collection) ? FIELDS.entity : FIELDS[collection as 'audit' | 'conflicts'];
}

/** An actor object: exactly `{ id, name }`, both text (the shape erasure rewrites, ADMIN-4). */
function isActor(value: unknown): value is Actor {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  // The key count last: it allocates, and most objects fail on the fields first.
  return typeof record.id === 'string' && typeof record.name === 'string' && Object.keys(record).length === 2;
}

/**
 * The first actor object in a document for which `stop` is true, snapshots and
 * nested values included, in a fixed order (pathTo follows it); null when none.
 * NOTE: runs on every pushed row, so it keeps one stack of values and no
 * paths: only a refusal needs one (pathTo).
 */
function firstActor(document: Doc, stop: (actor: Actor) => boolean): Actor | null {
  const stack: unknown[] = [document];
  while (stack.length > 0) {
    const value = stack.pop();
    if (isActor(value)) {
      if (stop(value)) return value;
    } else if (typeof value === 'object' && value !== null) {
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record);
      for (let index = 0; index < keys.length; index += 1) {
        const child = record[keys[index]!];
        if (typeof child === 'object' && child !== null) stack.push(child);
      }
    }
  }
  return null;
}

/** Where `target` sits in `document` as a dotted field path, found in firstActor's order. */
function pathTo(document: Doc, target: object): string {
  const values: unknown[] = [document];
  const paths: string[] = [''];
  while (values.length > 0) {
    const value = values.pop();
    const path = paths.pop()!;
    if (value === target) return path;
    if (isActor(value) || typeof value !== 'object' || value === null) continue;
    for (const [key, child] of Object.entries(value)) {
      if (typeof child === 'object' && child !== null) {
        values.push(child);
        paths.push(path ? `${path}.${key}` : key);
      }
    }
  }
  return '';
}

/** Loads what the checks need to know about the pusher and the actors the documents name. */
export async function pusherOf(sql: SqlDb, user: AuthUser, documents: Doc[]): Promise<Pusher> {
  const others = new Set<string>();
  let otherName = false;
  // Returns false for every actor, so the walk meets them all.
  const note = (actor: Actor): boolean => {
    if (actor.id !== user.id) others.add(actor.id);
    else if (actor.name !== user.name) otherName = true;
    return false;
  };
  for (const document of documents) firstActor(document, note);
  return {
    id: user.id,
    name: user.name,
    formerNames: otherName ? await accountNames(sql, user.id) : new Set(),
    erased: others.size > 0 ? await erasedAmong(sql, others) : new Set(),
  };
}

/** Whether two JSON values are equal, a missing value counting as null. */
function same(a: unknown, b: unknown): boolean {
  // Texts, numbers, booleans and null compare directly; only objects are compared by their JSON.
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return (a ?? null) === (b ?? null);
  return JSON.stringify(a) === JSON.stringify(b);
}

function refuse(field: string, reason: string): Refusal {
  return { code: 'FORBIDDEN', reason, fields: [field] };
}

/** Null when `value` records the pusher (ACTOR-4), else the refusal for `field`. */
function notThePusher(field: string, value: unknown, pusher: Pusher): Refusal | null {
  const actor = value as Actor;
  if (actor.id !== pusher.id) {
    return refuse(field, `${field} names the user "${actor.id}", but you are signed in as "${pusher.id}".`);
  }
  if (actor.name !== pusher.name && !pusher.formerNames.has(actor.name)) {
    return refuse(
      field,
      `${field} gives your name as "${actor.name}", but your account's name is "${pusher.name}"; sign in again to use it.`,
    );
  }
  return null;
}

/**
 * The actor rules of one row that is about to be written (ACTOR-1 … ACTOR-5),
 * against the stored document it replaces (undefined for a create). Only
 * values that change are bound to the pusher: a document last written by
 * others keeps their actors, under the names they had.
 */
export function checkActors(
  collection: ReplicatedCollection,
  stored: Doc | undefined,
  next: Doc,
  pusher: Pusher,
): Refusal | null {
  // The push names no erased account (pusherOf looked them all up): nothing to walk for.
  const erasedName =
    pusher.erased.size > 0
      ? firstActor(next, (actor) => pusher.erased.has(actor.id) && actor.name !== pseudonymFor(actor.id))
      : null;
  if (erasedName) {
    const path = pathTo(next, erasedName);
    return refuse(
      path,
      `${path} names a removed user by a name that was erased; it appears only as "${pseudonymFor(erasedName.id)}". Pull the latest version first.`,
    );
  }
  const { creator, writers } = fieldsOf(collection);
  const [creatorField] = creator;
  if (stored) {
    for (const field of creator) {
      if (!same(stored[field], next[field])) {
        return refuse(field, `${field} is set when the document is created and cannot change afterwards.`);
      }
    }
  } else {
    const problem = notThePusher(creatorField, next[creatorField], pusher);
    if (problem) return problem;
  }
  for (const field of writers) {
    if (next[field] != null && !same(stored?.[field], next[field])) {
      const problem = notThePusher(field, next[field], pusher);
      if (problem) return problem;
    }
  }
  return isEntityType(collection) ? checkTrash(stored, next, pusher) : null;
}

/** ACTOR-3: `deletedBy` is the pusher when `deletedAt` is set, null when it is cleared, unchanged otherwise. */
function checkTrash(stored: Doc | undefined, next: Doc, pusher: Pusher): Refusal | null {
  if (stored && same(stored.deletedAt, next.deletedAt)) {
    return same(stored.deletedBy, next.deletedBy)
      ? null
      : refuse('deletedBy', 'deletedBy changes only when the entry is moved to the trash or restored.');
  }
  if (next.deletedAt == null) {
    return next.deletedBy == null ? null : refuse('deletedBy', 'A restored entry has no deletedBy; set it to null.');
  }
  if (next.deletedBy == null)
    return refuse('deletedBy', 'An entry moved to the trash records who did it in deletedBy.');
  return notThePusher('deletedBy', next.deletedBy, pusher);
}
