import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Fragment, useState } from 'react';
import { entities } from '../../../../shared/entities';
import { oneOrMany } from '../../../../shared/readable';
import { useTRPC } from '../../api/client';
import { toShownError } from '../../api/errors';
import { refreshAllButEntries } from '../../api/live-lists';
import { updatePayload } from '../../forms/follow-document';
import { formFieldsOf, PHOTO_FIELDS } from '../../forms/form-fields';
import { fromFormValues, messagesByField, validateForm, type FormValues } from '../../forms/form-values';
import { useShortcuts } from '../../lib/shortcuts';
import { discardDraft, type Draft } from '../../state/drafts';
import { useUi, type EditorTarget } from '../../state/ui-store';
import { ContestedValue } from './ContestedValue';
import { DiscardQuestion } from './DiscardQuestion';
import { EditorActions } from './EditorActions';
import { FieldControl } from './FieldControl';
import { useSyncMergeNote } from './sync-merge-note';
import { RestoreQuestion, trashedNotice, trashedSaveReason } from './TrashedMeanwhile';
import { fieldLabel, trashedMeanwhile, useEditState } from './use-edit-state';

interface Props {
  target: EditorTarget;
  saved: Record<string, unknown> | null;
  restoredDraft: Draft | null;
  /** Why the person may not write (a viewer): the fields and the writing actions are disabled; reading ones stay. */
  readOnly: string | null;
}

/**
 * The form of one entry, generated from the registry; every keystroke is kept as a draft. It follows
 * the entry live: untouched fields take others' changes in place (with a note); a field the person
 * changed that changed underneath shows both values, and Save waits for a choice. An entry moved to
 * the trash meanwhile is said to be (who, when); Save waits for an explicit, confirmed restore.
 */
export function EditorForm({ target, saved, restoredDraft, readOnly }: Props) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const openEditor = useUi((s) => s.openEditor);
  const notice = useUi((s) => s.editorNotice);
  const { state, dispatch, me } = useEditState(target, saved, restoredDraft);
  const { values, contested } = state.edit;
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [showAll, setShowAll] = useState(false);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<string>(restoredDraft ? 'Restored your unsaved changes.' : (notice ?? ''));
  const [formError, setFormError] = useState<string | null>(null);
  const label = entities[target.type].label.toLowerCase();
  const { gone } = state;
  const trashed = trashedMeanwhile(state, me);
  const note = useSyncMergeNote(target.type, target.id, state.latest, me) ?? state.note;
  const [askingRestore, setAskingRestore] = useState(false);
  const [askingDiscard, setAskingDiscard] = useState(false);
  // With the entry gone there is no stored value left to choose against: what is shown is what a new entry gets.
  const waiting = gone ? [] : Object.keys(contested);

  const localErrors = validateForm(target.type, values);
  const errors = { ...serverErrors, ...localErrors };
  const visible = (field: string) => (showAll || touched.has(field) ? errors[field] : undefined);

  const change = (field: string, patch: Partial<FormValues>) => {
    dispatch({ kind: 'edit', patch: patch as FormValues });
    setTouched((t) => new Set(t).add(field));
    setServerErrors(({ [field]: _dropped, ...rest }) => rest);
    setStatus('Unsaved changes (kept as a draft).');
  };

  const onSaved = async (document: { id: string }) => {
    queryClient.setQueryData(trpc.entities.get.queryKey({ type: target.type, id: document.id }), document as never);
    dispatch({ kind: 'saved', document: document as Record<string, unknown> });
    await discardDraft(target.type, target.id);
    // The saved entry reaches lists through entities.onChanges; the rest (history, ...) reads again.
    void refreshAllButEntries(queryClient);
    setStatus(`Saved.`);
    setFormError(null);
    setShowAll(false);
    if (target.id === null) openEditor({ type: target.type, id: document.id }, 'Saved.');
    else if (gone) openEditor({ type: target.type, id: document.id }, `Saved as a new ${label}.`);
  };
  const onFailed = (error: unknown) => {
    const shown = toShownError(error);
    setStatus('');
    if (shown.code === 'CONFLICT' && shown.conflicts.length > 0) {
      // The save raced a change it had not seen: nothing was written; the same choice as a live change.
      dispatch({ kind: 'refused', conflicts: shown.conflicts });
      setFormError(`Not saved: ${shown.message}`);
      return;
    }
    setServerErrors(messagesByField(shown.fieldErrors));
    setShowAll(true);
    setFormError(shown.message);
  };
  const create = useMutation(trpc.entities.create.mutationOptions({ onSuccess: onSaved, onError: onFailed }));
  const update = useMutation(trpc.entities.update.mutationOptions({ onSuccess: onSaved, onError: onFailed }));
  const restore = useMutation(trpc.trash.restore.mutationOptions());

  /** Whether the form may be saved as it stands; if not, says why. */
  const ready = () => {
    setShowAll(true);
    setFormError(null);
    if (waiting.length > 0) {
      const names = waiting.map((field) => fieldLabel(target.type, field)).join(', ');
      setFormError(`Choose which value to keep for ${names} before saving: it changed while you were editing.`);
      return false;
    }
    if (Object.keys(localErrors).length > 0) {
      setFormError(`Please fix the ${oneOrMany(Object.keys(localErrors).length, 'field', 'fields')} marked below.`);
      return false;
    }
    return true;
  };
  const save = () => {
    const blocked = readOnly ?? (trashed ? trashedSaveReason(target.type) : null);
    if (blocked) {
      setFormError(`Not saved: ${blocked}`);
      return;
    }
    if (!ready()) return;
    if (target.id === null || gone)
      create.mutate({ type: target.type, fields: fromFormValues(target.type, values) } as never);
    else update.mutate(updateOf(state.inTrash));
  };
  // An update names whether the entry was in the trash when the editing began: the core refuses one moved since.
  const updateOf = (inTrash: boolean) =>
    ({ type: target.type, id: target.id!, ...updatePayload(target.type, state.edit), inTrash }) as never;
  /** The confirmed restore of an entry trashed meanwhile; then the typing is saved into it (checked first). */
  const restoreAndSave = () => {
    if (state.dirty && !ready()) return setAskingRestore(false);
    restore.mutate(
      { items: [{ type: target.type, id: target.id! }] },
      {
        onSuccess: () => {
          setAskingRestore(false);
          if (!state.dirty) return setStatus('Restored from the trash.');
          update.mutate(updateOf(false), { onSuccess: () => setStatus('Restored from the trash and saved.') });
        },
      },
    );
  };
  const close = () => openEditor(null);
  useShortcuts([
    { key: 's', ctrl: true, run: save },
    { key: 'Escape', allowInInputs: true, run: close },
  ]);

  return (
    <form
      aria-label={`${label} form`}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        save();
      }}
    >
      {formError ? (
        <p role="alert" className="form-error">
          {formError}
        </p>
      ) : null}
      {gone ? (
        <p role="alert" className="notice">
          {state.dirty
            ? `This ${label} was deleted permanently, so your changes cannot be saved to it. They are kept here: save them as a new ${label}, or discard them.`
            : `This ${label} was deleted permanently. Save it as a new ${label} to keep it, or close it.`}
        </p>
      ) : null}
      {trashed ? (
        <p role="alert" className="notice">
          {trashedNotice(target.type, trashed, state.dirty)}
        </p>
      ) : null}
      {note && !gone ? (
        <p className="muted follow-note" role="note" aria-label="Changes by others">
          {note}
        </p>
      ) : null}
      {/* A viewer sees the same fields, every one disabled: reading stays easy, nothing can be typed. */}
      <fieldset disabled={readOnly !== null} className="bare" aria-label="Entry fields">
        {formFieldsOf(target.type).map((field) => (
          <Fragment key={field.name}>
            <FieldControl
              type={target.type}
              field={field}
              values={values}
              error={visible(field.name)}
              onChange={change}
            />
            {(field.name === 'photo' ? PHOTO_FIELDS : [field.name])
              .filter((name) => contested[name])
              .map((name) => (
                <ContestedValue
                  key={name}
                  label={fieldLabel(target.type, name)}
                  mine={values[name]}
                  contest={contested[name]!}
                  reference={field.control.kind === 'reference' ? field.control.target : undefined}
                  onChoose={(pick) => dispatch({ kind: 'choose', field: name, pick })}
                />
              ))}
          </Fragment>
        ))}
      </fieldset>
      <p role="status" className="muted">
        {status}
      </p>
      <EditorActions
        target={target}
        saved={saved}
        gone={gone}
        readOnly={readOnly}
        trashed={trashed ? { saveReason: trashedSaveReason(target.type), dirty: state.dirty } : null}
        onRestore={() => setAskingRestore(true)}
        busy={create.isPending || update.isPending || restore.isPending}
        hasDraft={state.dirty}
        onDiscard={() => setAskingDiscard(true)}
        onClose={close}
      />
      {askingDiscard && state.dirty ? (
        <DiscardQuestion
          type={target.type}
          values={values}
          saved={state.latest}
          gone={gone}
          onConfirm={async () => {
            setAskingDiscard(false);
            await discardDraft(target.type, target.id);
            if (gone) return close();
            dispatch({ kind: 'discard' });
            setStatus('Draft discarded.');
          }}
          onCancel={() => setAskingDiscard(false)}
        />
      ) : null}
      {trashed && askingRestore ? (
        <RestoreQuestion
          type={target.type}
          id={target.id!}
          trashed={trashed}
          dirty={state.dirty}
          busy={restore.isPending}
          error={restore.error}
          onConfirm={restoreAndSave}
          onCancel={() => setAskingRestore(false)}
        />
      ) : null}
    </form>
  );
}
