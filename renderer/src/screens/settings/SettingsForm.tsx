import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../../api/client';
import { toShownError } from '../../api/errors';
import { ErrorText } from '../../components/ErrorText';

/** The profile name and trash retention, saved together; messages come from the core's settings schema. */
export function SettingsForm(props: { saved: { profileName: string | null; trashRetentionDays: number } }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [profileName, setProfileName] = useState(props.saved.profileName ?? '');
  const [retention, setRetention] = useState(String(props.saved.trashRetentionDays));
  const [saved, setSaved] = useState(false);
  const update = useMutation(
    trpc.settings.update.mutationOptions({
      onSuccess: () => {
        setSaved(true);
        void queryClient.invalidateQueries();
      },
    }),
  );
  const shown = update.error ? toShownError(update.error) : null;
  const fieldErrors = Object.fromEntries((shown?.fieldErrors ?? []).map((e) => [e.field, e.message]));
  const retentionNumber = /^\d+$/.test(retention.trim()) ? Number(retention) : retention;
  return (
    <form
      aria-label="Settings"
      style={{ maxWidth: 420 }}
      onSubmit={(event) => {
        event.preventDefault();
        setSaved(false);
        update.mutate({ profileName: profileName.trim() || null, trashRetentionDays: retentionNumber as number });
      }}
    >
      <div className="field">
        <label htmlFor="profile-name">Profile name (shown in the audit as who made a change)</label>
        <input
          id="profile-name"
          value={profileName}
          onChange={(e) => setProfileName(e.target.value)}
          aria-describedby="profile-name-error"
        />
        <span id="profile-name-error" className="field-error">
          {fieldErrors.profileName}
        </span>
      </div>
      <div className="field">
        <label htmlFor="retention">Trash retention (days before an entry can be purged)</label>
        <input
          id="retention"
          inputMode="numeric"
          value={retention}
          onChange={(e) => setRetention(e.target.value)}
          aria-describedby="retention-error"
        />
        <span id="retention-error" className="field-error">
          {fieldErrors.trashRetentionDays}
        </span>
      </div>
      <button type="submit" className="btn primary" disabled={update.isPending}>
        Save settings
      </button>
      {saved ? <p role="status">Settings saved.</p> : null}
      {shown && Object.keys(fieldErrors).length === 0 ? <ErrorText error={update.error} /> : null}
    </form>
  );
}
