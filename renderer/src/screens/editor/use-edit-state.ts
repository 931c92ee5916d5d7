import { skipToken, useQuery } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useEffect, useReducer } from 'react';
import { entities, type EntityType } from '../../../../shared/entities';
import type { FieldConflict } from '../../../../shared/errors';
import { ELSEWHERE, isYou } from '../../../../shared/readable';
import { useTRPC } from '../../api/client';
import {
  choose,
  contestRefused,
  edit,
  followDocument,
  freshState,
  sameValue,
  type EditState,
  type FollowResult,
} from '../../forms/follow-document';
import { formFieldsOf, PHOTO_FIELDS } from '../../forms/form-fields';
import { toFormValues, type FormValues } from '../../forms/form-values';
import { saveDraft, type Draft } from '../../state/drafts';
import type { EditorTarget } from '../../state/ui-store';

type Stored = Record<string, unknown>;

interface State {
  edit: EditState;
  /** The quiet note about what others changed underneath, newest first. */
  note: string;
  /** Whether the person has unsaved changes (kept as a draft). */
  dirty: boolean;
  /** The entry as last stored (what discarding the draft goes back to). */
  latest: Stored | null;
  /** The entry was deleted permanently (while open, or before a kept draft was reopened): only a new entry can hold the typing. */
  gone: boolean;
  /**
   * Whether the person is editing an entry in the trash: as it was when the editing (or its draft) began.
   * A move to the trash since is not taken in silently (see `trashedMeanwhile`); a save names this.
   */
  inTrash: boolean;
}

/** Who moved the open entry to the trash while it was being edited, and when. */
export interface TrashedMeanwhile {
  by: string;
  at: string;
  /** The mover is the person acting here (same actor id as the session), from another window or device. */
  byYou: boolean;
}

// Where the person's own change came from when the open editor did not make it (shared/readable/actor-words.ts).
export { ELSEWHERE };

type Action =
  | { kind: 'follow'; document: Stored; quiet?: boolean }
  | { kind: 'edit'; patch: FormValues }
  | { kind: 'choose'; field: string; pick: 'mine' | 'theirs' }
  | { kind: 'refused'; conflicts: FieldConflict[] }
  | { kind: 'saved'; document: Stored }
  | { kind: 'gone' }
  | { kind: 'discard' };

/**
 * The state of an open editor that follows its document live: what the person
 * typed, the base each field started from, and the fields waiting for a choice
 * (see forms/follow-document.ts). Every change of the person's work is kept as
 * a draft, bases included, so a reload never turns into an overwrite.
 */
export function useEditState(target: EditorTarget, saved: Stored | null, restoredDraft: Draft | null) {
  const trpc = useTRPC();
  const type = target.type;
  // Who acts here, so the person's own change made elsewhere reads "You …", not their name.
  const me = useQuery(trpc.session.me.queryOptions()).data?.actor.id ?? null;
  const [state, dispatch] = useReducer(
    (current: State, action: Action) => reduce(type, current, action, me),
    null,
    () => initialState(type, saved, restoredDraft, target.id !== null && saved === null),
  );
  useSubscription(
    trpc.entities.onDocument.subscriptionOptions(target.id === null ? skipToken : { type, id: target.id }, {
      onData: (document) => dispatch(document ? { kind: 'follow', document: document as Stored } : { kind: 'gone' }),
    }),
  );
  useEffect(() => {
    if (!state.dirty) return;
    const { values, bases, contested } = state.edit;
    const baseRev = (saved?.rev as string) ?? null;
    void saveDraft({ type, id: target.id, values, bases, contested, inTrash: state.inTrash, baseRev });
  }, [state, type, target.id, saved?.rev]);
  return { state, dispatch, me };
}

/**
 * The open entry was moved to the trash after the editing began (here, in another window or on
 * another device): the editor says so and saves nothing into the trash until the person restores it.
 */
export function trashedMeanwhile(state: State, me: string | null): TrashedMeanwhile | null {
  const latest = state.latest;
  if (state.gone || state.inTrash || !latest?.deletedAt) return null;
  const mover = latest.deletedBy as { id?: string; name?: string } | null;
  return { by: mover?.name ?? 'Someone', at: String(latest.deletedAt), byYou: isYou(mover, me) };
}

function initialState(type: EntityType, saved: Stored | null, draft: Draft | null, gone: boolean): State {
  const stored = toFormValues(type, saved);
  const inTrash = draft?.inTrash ?? Boolean(saved?.deletedAt);
  if (!draft) return { edit: freshState(stored), note: '', dirty: false, latest: saved, gone, inTrash };
  if (draft.bases) {
    const edit = { values: draft.values, bases: draft.bases, contested: draft.contested ?? {} };
    return { edit, note: '', dirty: true, latest: saved, gone, inTrash };
  }
  // A draft kept before bases existed: made on this version, its bases are the stored values; otherwise
  // every field it changed waits for a choice, since what it started from is unknown.
  const contested: EditState['contested'] = {};
  if (draft.baseRev !== (saved?.rev ?? null)) {
    for (const [field, value] of Object.entries(draft.values))
      if (!sameValue(value, stored[field])) contested[field] = { theirs: stored[field]!, by: null };
  }
  return {
    edit: { values: draft.values, bases: stored, contested },
    note: '',
    dirty: true,
    latest: saved,
    gone,
    inTrash,
  };
}

function reduce(type: EntityType, state: State, action: Action, me: string | null): State {
  switch (action.kind) {
    case 'follow': {
      const updater = action.document.updatedBy as { id?: string; name?: string } | null;
      const by = updater?.name ?? null;
      // The person's own change from another window or device reads "You changed …", not their name.
      const byYou = isYou(updater, me);
      const result = followDocument(state.edit, toFormValues(type, action.document), by, byYou);
      // Restored by someone while this person edited it in the trash: said, and the save then names a live entry.
      const restored = state.inTrash && !action.document.deletedAt;
      const restoredNote = restored
        ? byYou
          ? `You restored this ${entities[type].label.toLowerCase()} from the trash ${ELSEWHERE}.`
          : `${by ?? 'Someone'} restored this ${entities[type].label.toLowerCase()} from the trash.`
        : '';
      const note = [restoredNote, noteOf(type, result, by, byYou)].filter(Boolean).join(' ');
      const inTrash = state.inTrash && !restored;
      return { ...state, edit: result.state, note: note || state.note, latest: action.document, inTrash };
    }
    case 'edit':
      return { ...state, edit: edit(state.edit, action.patch), dirty: true };
    case 'choose':
      return { ...state, edit: choose(state.edit, action.field, action.pick), dirty: true };
    case 'refused':
      return { ...state, edit: contestRefused(type, state.edit, action.conflicts, me), dirty: true };
    case 'saved': {
      const edit = followDocument(state.edit, toFormValues(type, action.document), null).state;
      return {
        edit,
        note: '',
        dirty: false,
        latest: action.document,
        gone: false,
        inTrash: Boolean(action.document.deletedAt),
      };
    }
    case 'gone':
      return { ...state, gone: true };
    case 'discard':
      return { ...state, edit: freshState(toFormValues(type, state.latest)), note: '', dirty: false };
  }
}

/** A form field's label for a document field (the photo's three fields are one control). */
export function fieldLabel(type: EntityType, field: string): string {
  const name = PHOTO_FIELDS.includes(field) ? 'photo' : field;
  return formFieldsOf(type).find((f) => f.name === name)?.label ?? field;
}

/**
 * "Ada Admin changed Breed." The person's own change made in another window or on another device reads
 * "You changed Breed in another window or on another device.", not as if someone else had made it.
 */
function noteOf(type: EntityType, result: FollowResult, by: string | null, byYou: boolean): string {
  const who = byYou ? 'You' : (by ?? 'Someone');
  const where = byYou ? ` ${ELSEWHERE}` : '';
  const here = byYou ? ' here' : '';
  const names = (fields: string[]) => [...new Set(fields.map((f) => fieldLabel(type, f)))].join(', ');
  const parts: string[] = [];
  if (result.followed.length > 0) parts.push(`${who} changed ${names(result.followed)}${where}.`);
  if (result.merged.length > 0)
    parts.push(`${who} changed ${names(result.merged)}${where}; your additions and removals${here} are kept.`);
  if (result.contested.length > 0)
    parts.push(
      `${who} changed ${names(result.contested)}${where} while you were editing${here}: choose which value to keep.`,
    );
  return parts.join(' ');
}
