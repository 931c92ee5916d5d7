import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { settingSavedElsewhere } from '../../../../shared/readable';
import { useTRPC } from '../../api/client';
import { toShownError } from '../../api/errors';
import type { Inputs } from '../../api/types';
import { ErrorText } from '../../components/ErrorText';

interface Saved {
  profileName: string | null;
  trashRetentionDays: number;
}
type Field = keyof Saved;
type Drafts = Record<Field, string>;
/** A typed retention that is not a number is sent as typed, for the core to refuse in words. */
type Change = Inputs['settings']['update'];

const shownOf = (saved: Saved): Drafts => ({
  profileName: saved.profileName ?? '',
  trashRetentionDays: String(saved.trashRetentionDays),
});
/** What a typed value saves as: an empty name is no name; digits are a number, anything else is sent for the core to refuse in words. */
const valueOf = (field: Field, typed: string): unknown =>
  field === 'profileName' ? typed.trim() || null : /^\d+$/.test(typed.trim()) ? Number(typed) : typed;

/**
 * The profile name and trash retention; messages come from the core's settings schema. The form follows
 * the saved settings live (another window of this profile can save them too): a setting not typed in here
 * takes the saved value, one typed in here is kept and the saved value is named beside it. A save sends
 * only the settings typed in here, each with the value it was showing, so it never puts back one saved
 * elsewhere unseen (the core refuses a change whose value moved meanwhile).
 */
export function SettingsForm(props: { saved: Saved }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [seen, setSeen] = useState<Saved>(props.saved);
  const [typed, setTyped] = useState<Drafts>(() => shownOf(props.saved));
  const [notes, setNotes] = useState<Partial<Record<Field, string>>>({});
  const [saved, setSaved] = useState(false);
  if (props.saved.profileName !== seen.profileName || props.saved.trashRetentionDays !== seen.trashRetentionDays) {
    // Saved meanwhile (here or elsewhere): follow it where nothing of the user's is in the way.
    const nextTyped = { ...typed };
    const nextNotes = { ...notes };
    for (const field of ['profileName', 'trashRetentionDays'] as const) {
      if (props.saved[field] === seen[field]) continue;
      const untouched = valueOf(field, typed[field]) === seen[field];
      if (untouched || valueOf(field, typed[field]) === props.saved[field]) {
        nextTyped[field] = shownOf(props.saved)[field];
        delete nextNotes[field];
      } else {
        nextNotes[field] = settingSavedElsewhere(field, props.saved[field]);
      }
    }
    setSeen(props.saved);
    setTyped(nextTyped);
    setNotes(nextNotes);
  }
  const update = useMutation(
    trpc.settings.update.mutationOptions({
      onSuccess: () => {
        setSaved(true);
        setNotes({});
        void queryClient.invalidateQueries();
      },
      // Refused for a setting saved meanwhile: read it, so the form shows it beside what was typed here.
      onError: () => void queryClient.invalidateQueries({ queryKey: trpc.settings.get.queryKey() }),
    }),
  );
  const shown = update.error ? toShownError(update.error) : null;
  const fieldErrors = Object.fromEntries((shown?.fieldErrors ?? []).map((e) => [e.field, e.message]));
  const field = (name: Field, id: string, label: string, extra: { inputMode?: 'numeric' } = {}) => (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        {...extra}
        value={typed[name]}
        onChange={(e) => setTyped((now) => ({ ...now, [name]: e.target.value }))}
        aria-describedby={`${id}-error ${id}-note`}
      />
      <span id={`${id}-error`} className="field-error">
        {fieldErrors[name]}
      </span>
      <span id={`${id}-note`} className="muted">
        {fieldErrors[name] ? null : notes[name]}
      </span>
    </div>
  );
  return (
    <form
      aria-label="Settings"
      style={{ maxWidth: 420 }}
      onSubmit={(event) => {
        event.preventDefault();
        setSaved(false);
        const changed = (['profileName', 'trashRetentionDays'] as const).filter(
          (name) => valueOf(name, typed[name]) !== seen[name],
        );
        const pick = (of: (name: Field) => unknown) => Object.fromEntries(changed.map((name) => [name, of(name)]));
        // A note names the value saved elsewhere: the user has seen it, so that value is what this save replaces.
        update.mutate({ ...pick((name) => valueOf(name, typed[name])), from: pick((name) => seen[name]) } as Change);
      }}
    >
      {field('profileName', 'profile-name', 'Profile name (shown in the audit as who made a change)')}
      {field('trashRetentionDays', 'retention', 'Trash retention (days before an entry can be purged)', {
        inputMode: 'numeric',
      })}
      <button type="submit" className="btn primary" disabled={update.isPending}>
        Save settings
      </button>
      {saved ? <p role="status">Settings saved.</p> : null}
      {shown && Object.keys(fieldErrors).length === 0 ? <ErrorText error={update.error} /> : null}
    </form>
  );
}
