import { counted } from './counted';

/** The settings by the names the Settings screen gives them. */
export const SETTING_LABELS: Record<string, string> = {
  profileName: 'Profile name',
  trashRetentionDays: 'Trash retention',
  theme: 'Theme',
  notifyConflicts: 'Conflict notifications',
  notifySyncPaused: 'Sync notifications',
  conflictBadge: 'The conflict badge',
};

/** A setting's value in words: "7 days", "“Front desk”", "no name", "on". */
export function settingValueWords(field: string, value: unknown): string {
  if (field === 'trashRetentionDays' && typeof value === 'number') return counted(value, 'day');
  if (field === 'profileName') return typeof value === 'string' ? `“${value}”` : 'no name';
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  return String(value);
}

/** What a window is told about a setting it shows that was saved elsewhere while it was being edited. */
export function settingSavedElsewhere(field: string, value: unknown): string {
  return `Saved as ${settingValueWords(field, value)} in another window while you were editing. Saving replaces it with yours.`;
}
