import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../../api/client';
import type { Outputs } from '../../api/types';
import { ErrorText } from '../../components/ErrorText';

type Settings = Outputs['settings']['get'];
type Switch = 'notifyConflicts' | 'notifySyncPaused' | 'conflictBadge';

/** The desktop app's notifications and badge, each on by default (main/electron/desktop-alerts.ts). */
const SWITCHES: { key: Switch; label: string }[] = [
  { key: 'notifyConflicts', label: 'Notify me of new sync conflicts (admins, who resolve them)' },
  { key: 'notifySyncPaused', label: 'Notify me when changes have not been sent for a few minutes and I must act' },
  { key: 'conflictBadge', label: 'Show the number of open conflicts on the app icon (admins)' },
];

/**
 * Each switch saves as it is clicked, like the theme; a refused save puts the switch back. A switch saved
 * in another window of this profile is shown as it lands.
 */
export function DesktopAlertSettings({ saved }: { saved: Settings }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [shown, setShown] = useState<Pick<Settings, Switch>>(saved);
  const [seen, setSeen] = useState<Pick<Settings, Switch>>(saved);
  if (SWITCHES.some(({ key }) => saved[key] !== seen[key])) {
    setSeen(saved);
    setShown((now) => ({ ...now, ...changedSince(seen, saved) }));
  }
  const update = useMutation(
    trpc.settings.update.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries(),
      onError: (_error, patch) => setShown((now) => ({ ...now, ...flipped(patch) })),
    }),
  );
  const change = (key: Switch, on: boolean) => {
    setShown((now) => ({ ...now, [key]: on }));
    update.mutate({ [key]: on });
  };
  return (
    <fieldset style={{ maxWidth: 420 }}>
      <legend>Desktop notifications</legend>
      <p className="muted">They appear outside the window in the desktop app; browser mode shows none.</p>
      {SWITCHES.map(({ key, label }) => (
        <label key={key} style={{ flexDirection: 'row', alignItems: 'center' }}>
          <input type="checkbox" checked={shown[key]} onChange={(event) => change(key, event.target.checked)} />
          {label}
        </label>
      ))}
      <ErrorText error={update.error} />
    </fieldset>
  );
}

/** The switches of a refused patch, back as they were. */
function flipped(patch: Partial<Record<string, unknown>>): Partial<Record<Switch, boolean>> {
  return Object.fromEntries(
    SWITCHES.filter(({ key }) => typeof patch[key] === 'boolean').map(({ key }) => [key, !patch[key]]),
  );
}

/** The switches saved differently from what was seen. */
function changedSince(seen: Pick<Settings, Switch>, saved: Settings): Partial<Record<Switch, boolean>> {
  return Object.fromEntries(SWITCHES.filter(({ key }) => saved[key] !== seen[key]).map(({ key }) => [key, saved[key]]));
}
