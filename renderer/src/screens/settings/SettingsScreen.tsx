import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '../../api/client';
import { ErrorText } from '../../components/ErrorText';
import { RadioChoice } from '../../components/RadioChoice';
import { useUi, type Theme } from '../../state/ui-store';
import { DesktopAlertSettings } from './DesktopAlertSettings';
import { IntegrityCheckPanel } from './IntegrityCheckPanel';
import { SettingsForm } from './SettingsForm';
import { SnapshotsPanel } from './SnapshotsPanel';

/** Profile name, trash retention days, the theme, desktop notifications, and the safety snapshots. */
export default function SettingsScreen() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const setTheme = useUi((s) => s.setTheme);
  const theme = useUi((s) => s.theme);
  const settings = useQuery(trpc.settings.get.queryOptions());
  const update = useMutation(
    trpc.settings.update.mutationOptions({ onSuccess: () => void queryClient.invalidateQueries() }),
  );
  const chooseTheme = (next: Theme) => {
    setTheme(next);
    update.mutate({ theme: next });
  };
  return (
    <>
      <h2>Settings</h2>
      <ErrorText error={settings.error} />
      {/* Mounted once with the saved values; it keeps what the user types from then on. */}
      {settings.data ? <SettingsForm saved={settings.data} /> : null}
      <fieldset style={{ maxWidth: 420 }}>
        <legend>Theme</legend>
        {(['light', 'dark'] as const).map((option) => (
          <RadioChoice key={option} name="theme" checked={theme === option} onSelect={() => chooseTheme(option)}>
            {option === 'light' ? 'Light' : 'Dark'}
          </RadioChoice>
        ))}
      </fieldset>
      {settings.data ? <DesktopAlertSettings saved={settings.data} /> : null}
      <SnapshotsPanel />
      <IntegrityCheckPanel />
    </>
  );
}
