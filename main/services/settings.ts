import { z } from 'zod';
import { parseOrThrow } from '../../shared/validation';
import type { RxDatabase } from 'rxdb';
import type { ServiceContext } from './context';
import { requireRole } from './permissions';
import { AppError, type FieldConflict } from '../../shared/errors';
import { SETTING_LABELS, settingValueWords } from '../../shared/readable';

export const DEFAULT_TRASH_RETENTION_DAYS = 30;

/** Settings of this installation. Local only: they never replicate. */
export const settingsSchema = z
  .object({
    profileName: z
      .string()
      .trim()
      .min(1, { error: 'Profile name cannot be empty.' })
      .max(200, { error: 'Profile name must be at most 200 characters.' })
      .nullable(),
    trashRetentionDays: z
      .number({ error: 'Trash retention must be a number of days.' })
      .int({ error: 'Trash retention must be a whole number of days.' })
      .min(1, { error: 'Trash retention must be at least 1 day.' })
      .max(3650, { error: 'Trash retention can be at most 3650 days (10 years).' }),
    theme: z.enum(['system', 'light', 'dark'], { error: 'Theme must be system, light or dark.' }),
    /** Desktop app: an OS notification for new conflicts (admins). */
    notifyConflicts: z.boolean({ error: 'Conflict notifications must be on or off (true or false).' }),
    /** Desktop app: an OS notification when sync has been stuck for a few minutes. */
    notifySyncPaused: z.boolean({ error: 'Sync notifications must be on or off (true or false).' }),
    /** Desktop app: the open conflicts on the dock or taskbar icon (admins). */
    conflictBadge: z.boolean({ error: 'The conflict badge must be on or off (true or false).' }),
  })
  .strict();
export type Settings = z.infer<typeof settingsSchema>;
export const settingsPatchSchema = settingsSchema.partial();
/**
 * A change with, under `from`, the value each changed setting had where the change started (what the
 * window showed). A setting saved elsewhere since is refused (CONFLICT), so no save puts back a value
 * the person never saw replaced. Without `from` the change applies as it is (a switch, the theme).
 */
export const settingsUpdateSchema = settingsPatchSchema.extend({ from: settingsPatchSchema.optional() }).strict();

const DEFAULTS: Settings = {
  profileName: null,
  trashRetentionDays: DEFAULT_TRASH_RETENTION_DAYS,
  theme: 'system',
  notifyConflicts: true,
  notifySyncPaused: true,
  conflictBadge: true,
};
const DOCUMENT_ID = 'settings';

export type SettingsService = ReturnType<typeof createSettingsService>;

export function createSettingsService(ctx: ServiceContext, local: RxDatabase) {
  let current: Settings = DEFAULTS;
  async function read(): Promise<Settings> {
    const stored = await local.getLocal<Record<string, unknown>>(DOCUMENT_ID);
    if (!stored) return (current = DEFAULTS);
    const values = stored.toJSON().data;
    // A setting added in a later version falls back to its default.
    const parsed = settingsSchema.safeParse({ ...DEFAULTS, ...values });
    return (current = parsed.success ? parsed.data : DEFAULTS);
  }
  return {
    get: read,
    /** The settings as last read or written, without waiting: for the session's display name. */
    current: () => current,
    async update(patch: unknown, from?: unknown): Promise<Settings> {
      requireRole(ctx, 'viewer', 'change settings');
      const changes = parseOrThrow(settingsPatchSchema, patch, 'This settings change');
      const bases = from === undefined ? {} : parseOrThrow(settingsPatchSchema, from, 'This settings change');
      return ctx.lock.run(async () => {
        const stored = await read();
        refuseSavedMeanwhile(stored, changes, bases);
        const next = parseOrThrow(settingsSchema, { ...stored, ...changes }, 'This settings change');
        await local.upsertLocal(DOCUMENT_ID, next);
        return (current = next);
      });
    },
    changes$: local.getLocal$(DOCUMENT_ID),
  };
}

/** Refuses a change to a setting that no longer holds the value the change started from. */
function refuseSavedMeanwhile(stored: Settings, changes: Partial<Settings>, bases: Partial<Settings>): void {
  const moved: FieldConflict[] = [];
  for (const [field, base] of Object.entries(bases) as [keyof Settings, unknown][]) {
    if (!(field in changes) || stored[field] === base || stored[field] === changes[field]) continue;
    moved.push({ field, base, yours: changes[field], stored: stored[field], changedBy: null, changedAt: null });
  }
  if (moved.length === 0) return;
  const words = moved.map(
    ({ field, stored: value }) => `${SETTING_LABELS[field]} was saved as ${settingValueWords(field, value)}`,
  );
  throw new AppError(
    'CONFLICT',
    `${words.join(' and ')} in another window while you were editing, so nothing was saved. The form shows it now; save again to replace it.`,
    moved.map(({ field, stored: value }) => ({
      field,
      message: `Saved as ${settingValueWords(field, value)} in another window meanwhile; save again to replace it with yours.`,
    })),
    moved,
  );
}
