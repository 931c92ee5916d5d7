import { z } from 'zod';
import { checkProfile, profileDatabaseFiles } from '../recovery';
import { isPlainDatabaseFile } from '../storage';
import { listSnapshots } from '../services/snapshots';
import { AppError } from '../../shared/errors';
import type { CoreContext } from './context';
import { procedure, router } from './trpc';

function recoveryOf(ctx: CoreContext) {
  if (!ctx.recovery) throw new AppError('CONFLICT', 'This profile is not damaged: there is nothing to recover.');
  return ctx.recovery;
}

export const recoveryRouter = router({
  /** Whether the core opened in recovery, and the problems the check at open found. */
  status: procedure.query(({ ctx }) =>
    ctx.recovery ? { damaged: true as const, report: ctx.recovery.report } : { damaged: false as const, report: null },
  ),

  /**
   * The last check of the profile's files and whether one is running: the check at open (small files), or
   * SQLite's quick_check run in the background after a big profile opened. Settings and the damage notice read it.
   */
  lastCheck: procedure.query(({ ctx }) => ctx.integrity?.status() ?? { running: false, report: null }),

  /** After the background check found damage: closes the profile and opens the recovery tools on it. */
  openRecoveryTools: procedure.mutation(async ({ ctx }) => {
    if (!ctx.integrity) throw new AppError('CONFLICT', 'This profile has no database check to act on.');
    await ctx.integrity.openRecovery();
  }),

  /** The full check (SQLite integrity_check plus the store's invariants) of this profile's files. Writes nothing. */
  check: procedure.mutation(({ ctx }) => checkProfile(ctx.dataDir, 'full', ctx.encryption.key)),

  /**
   * Whether this profile's database files are encrypted at rest, and if not, why (no OS keyring, browser
   * mode). A file made before encryption was available counts as plain until it is converted at the next start.
   */
  encryption: procedure.query(async ({ ctx }) => {
    const { key } = ctx.encryption;
    const files = await profileDatabaseFiles(ctx.dataDir);
    const encrypted = key !== null && !isPlainDatabaseFile(files.catalog) && !isPlainDatabaseFile(files.local);
    return { encrypted, notice: 'reason' in ctx.encryption ? ctx.encryption.reason : null };
  }),

  /** The automatic snapshots, newest first; readable in recovery too. */
  snapshots: procedure.query(({ ctx }) => listSnapshots(ctx.dataDir, ctx.encryption.key)),

  /** Recovery only. Everything readable to a backup file in the exports folder, with the count of skipped rows. */
  exportReadable: procedure.mutation(({ ctx }) => recoveryOf(ctx).exportReadable()),

  /** Recovery only, admin. The damaged file goes aside (kept); a fresh store gets the snapshot. */
  restoreSnapshot: procedure
    .input(z.object({ snapshotId: z.string().min(1).max(200) }))
    .mutation(({ ctx, input }) => recoveryOf(ctx).restoreSnapshot(input.snapshotId)),

  /** Recovery only. The damaged file goes aside (kept); a fresh store syncs, then local-only changes are carried over. */
  rebuildFromServer: procedure.mutation(({ ctx }) => recoveryOf(ctx).rebuildFromServer()),
});
