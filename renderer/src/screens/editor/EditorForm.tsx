import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { entities } from '../../../../shared/entities';
import { useTRPC } from '../../api/client';
import { toShownError } from '../../api/errors';
import { formFieldsOf } from '../../forms/form-fields';
import {
  fromFormValues,
  messagesByField,
  changedFields,
  toFormValues,
  validateForm,
  type FormValues,
} from '../../forms/form-values';
import { useShortcuts } from '../../lib/shortcuts';
import { discardDraft, saveDraft, type Draft } from '../../state/drafts';
import { useUi, type EditorTarget } from '../../state/ui-store';
import { EditorActions } from './EditorActions';
import { FieldControl } from './FieldControl';

interface Props {
  target: EditorTarget;
  saved: Record<string, unknown> | null;
  initial: FormValues;
  restoredDraft: Draft | null;
}

/** The form of one entry, generated from the registry; every keystroke is kept as a draft. */
export function EditorForm({ target, saved, initial, restoredDraft }: Props) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const openEditor = useUi((s) => s.openEditor);
  const notice = useUi((s) => s.editorNotice);
  const [values, setValues] = useState<FormValues>(initial);
  // What the entry held when the form loaded it (or was last saved): a save sends only what differs.
  const [baseline, setBaseline] = useState<FormValues>(() => toFormValues(target.type, saved));
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [showAll, setShowAll] = useState(false);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<string>(restoredDraft ? 'Restored your unsaved changes.' : (notice ?? ''));
  const [formError, setFormError] = useState<string | null>(null);
  const label = entities[target.type].label.toLowerCase();

  const localErrors = validateForm(target.type, values);
  const errors = { ...serverErrors, ...localErrors };
  const visible = (field: string) => (showAll || touched.has(field) ? errors[field] : undefined);

  const change = (field: string, patch: Partial<FormValues>) => {
    const next = { ...values, ...patch } as FormValues;
    setValues(next);
    setTouched((t) => new Set(t).add(field));
    setServerErrors(({ [field]: _dropped, ...rest }) => rest);
    setStatus('Unsaved changes (kept as a draft).');
    void saveDraft({ type: target.type, id: target.id, values: next, baseRev: (saved?.rev as string) ?? null });
  };

  const onSaved = async (document: { id: string }) => {
    // The saved revision is what the next save must name; set it before anything refetches.
    queryClient.setQueryData(trpc.entities.get.queryKey({ type: target.type, id: document.id }), document as never);
    await discardDraft(target.type, target.id);
    void queryClient.invalidateQueries();
    setStatus(`Saved.`);
    setFormError(null);
    setBaseline(values);
    setShowAll(false);
    if (target.id === null) openEditor({ type: target.type, id: document.id }, 'Saved.');
  };
  const onFailed = (error: unknown) => {
    const shown = toShownError(error);
    setServerErrors(messagesByField(shown.fieldErrors));
    setShowAll(true);
    setFormError(shown.message);
    setStatus('');
  };
  const create = useMutation(trpc.entities.create.mutationOptions({ onSuccess: onSaved, onError: onFailed }));
  const update = useMutation(trpc.entities.update.mutationOptions({ onSuccess: onSaved, onError: onFailed }));

  const save = () => {
    setShowAll(true);
    setFormError(null);
    if (Object.keys(localErrors).length > 0) {
      setFormError(`Please fix the ${Object.keys(localErrors).length === 1 ? 'field' : 'fields'} marked below.`);
      return;
    }
    if (target.id === null) create.mutate({ type: target.type, fields: fromFormValues(target.type, values) } as never);
    else
      update.mutate({
        type: target.type,
        id: target.id,
        rev: String(saved?.rev),
        fields: changedFields(target.type, values, baseline),
      } as never);
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
      {formFieldsOf(target.type).map((field) => (
        <FieldControl
          key={field.name}
          type={target.type}
          field={field}
          values={values}
          error={visible(field.name)}
          onChange={change}
        />
      ))}
      <p role="status" className="muted">
        {status}
      </p>
      <EditorActions
        target={target}
        saved={saved}
        busy={create.isPending || update.isPending}
        hasDraft={status.startsWith('Unsaved') || status.startsWith('Restored')}
        onDiscard={async () => {
          await discardDraft(target.type, target.id);
          setValues(toFormValues(target.type, saved));
          setStatus('Draft discarded.');
        }}
        onClose={close}
      />
    </form>
  );
}
