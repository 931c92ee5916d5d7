import { mergeAsSet } from '../../../shared/merge/field-merge';
import { isYou } from '../../../shared/readable';
import type { EntityType } from '../../../shared/entities';
import type { FieldConflict } from '../../../shared/errors';
import { toChanges, toFormValues, type FormValues } from './form-values';

type FormValue = FormValues[string];

/** A field the person changed that someone else changed too: both values wait for a choice. */
export interface Contest {
  /** The stored value now (theirs). */
  theirs: FormValue;
  /** Who stored it, when known. */
  by: string | null;
  /** The person editing stored it themselves, in another window or on another device (same actor id). */
  byYou?: boolean;
}

/**
 * An open editor's state: what the person sees (`values`), the stored value
 * each field started from (`bases`: a save names them, so it can never
 * overwrite a change it has not seen), and the fields waiting for a choice.
 */
export interface EditState {
  values: FormValues;
  bases: FormValues;
  contested: Record<string, Contest>;
}

export interface FollowResult {
  state: EditState;
  /** Untouched fields that took the stored value in place. */
  followed: string[];
  /** List fields both sides changed: merged as sets, nothing to choose. */
  merged: string[];
  /** Fields that now wait for a choice. */
  contested: string[];
}

export function sameValue(a: FormValue | undefined, b: FormValue | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A form opened on `stored` with nothing typed yet. */
export function freshState(stored: FormValues): EditState {
  return { values: stored, bases: stored, contested: {} };
}

/**
 * Follows the stored document (`incoming`, as form values) into an open
 * editor, field by field: an untouched field takes the stored value; a field
 * the person changed to the same value just moves its base; a list field
 * merges as a set (as the core and replication do); any other field the
 * person changed that changed underneath becomes a contest.
 */
export function followDocument(state: EditState, incoming: FormValues, by: string | null, byYou = false): FollowResult {
  const values = { ...state.values };
  const bases = { ...state.bases };
  const contested = { ...state.contested };
  const result: Omit<FollowResult, 'state'> = { followed: [], merged: [], contested: [] };
  for (const field of Object.keys(incoming)) {
    const stored = incoming[field]!;
    const base = bases[field];
    const mine = values[field];
    if (sameValue(mine, stored)) {
      // Both sides agree (or the person already took this value): nothing to choose.
      bases[field] = stored;
      delete contested[field];
    } else if (sameValue(base, stored)) {
      // Nothing new underneath (or it went back to the base): the person's value stands.
      delete contested[field];
    } else if (sameValue(mine, base) && !contested[field]) {
      values[field] = stored;
      bases[field] = stored;
      result.followed.push(field);
    } else if (Array.isArray(stored) && Array.isArray(mine) && Array.isArray(base) && !contested[field]) {
      values[field] = mergeAsSet(base, mine, stored) as string[];
      bases[field] = stored;
      result.merged.push(field);
    } else {
      if (!contested[field] || !sameValue(contested[field].theirs, stored)) result.contested.push(field);
      contested[field] = byYou ? { theirs: stored, by, byYou } : { theirs: stored, by };
    }
  }
  return { state: { values, bases, contested }, ...result };
}

/** The person's choice for a contested field: keep what they typed, or take the stored value. */
export function choose(state: EditState, field: string, pick: 'mine' | 'theirs'): EditState {
  const contest = state.contested[field];
  if (!contest) return state;
  const { [field]: _decided, ...contested } = state.contested;
  const values = pick === 'theirs' ? { ...state.values, [field]: contest.theirs } : state.values;
  // Either way the person has now seen the stored value: it becomes the base the save names.
  return { values, bases: { ...state.bases, [field]: contest.theirs }, contested };
}

/** Typing into a contested field decides it too: the new text is the person's answer to the stored value. */
export function edit(state: EditState, patch: FormValues): EditState {
  let next = state;
  for (const field of Object.keys(patch)) if (next.contested[field]) next = choose(next, field, 'mine');
  return { ...next, values: { ...next.values, ...patch } };
}

/**
 * Contests from a save the core refused (`CONFLICT`, issue 11.1): each field it names waits for a
 * choice between what the person typed and the stored value, exactly like a change seen live.
 */
export function contestRefused(
  type: EntityType,
  state: EditState,
  conflicts: readonly FieldConflict[],
  me: string | null = null,
): EditState {
  const stored = toFormValues(type, Object.fromEntries(conflicts.map((c) => [c.field, c.stored])));
  const contested = { ...state.contested };
  for (const conflict of conflicts) {
    if (conflict.field in stored)
      contested[conflict.field] = {
        theirs: stored[conflict.field]!,
        by: conflict.changedBy?.name ?? null,
        ...(isYou(conflict.changedBy, me) ? { byYou: true } : {}),
      };
  }
  return { ...state, contested };
}

/**
 * What `entities.update` takes: the fields the person changed from their
 * bases, and for each the base it started from (null for empty).
 */
export function updatePayload(
  type: EntityType,
  state: EditState,
): { fields: Record<string, unknown>; bases: Record<string, unknown> } {
  const now = toChanges(type, state.values);
  const before = toChanges(type, state.bases);
  const fields: Record<string, unknown> = {};
  const bases: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(now)) {
    if (JSON.stringify(value) === JSON.stringify(before[field])) continue;
    fields[field] = value;
    bases[field] = before[field] ?? null;
  }
  return { fields, bases };
}
