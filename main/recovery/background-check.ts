import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { replaceFile } from '../files';
import type { DatabaseKey } from '../storage';
import type { IntegrityReport } from '../storage/integrity';
import { checkProfileInWorker } from './profile-files';

/** Where the check of the profile's files stands: running, or its last report (null before any). */
export interface ProfileCheckStatus {
  running: boolean;
  report: IntegrityReport | null;
}

/**
 * The profile's SQLite quick_check, run after a big profile opened (the check at open is cheap and
 * covers it only for small files), and the way to the recovery tools when it finds damage.
 */
export interface ProfileCheck {
  status(): ProfileCheckStatus;
  /** Switches the core to recovery with the damage the last check found; refused when it found none. */
  openRecovery(): Promise<void>;
}

const reportSchema = z.object({
  ok: z.boolean(),
  keyMissing: z.boolean().optional(),
  depth: z.enum(['open', 'quick', 'full']),
  problems: z.array(z.string()),
  checkedAt: z.string(),
});

/**
 * The last check's report, kept beside the database: damage found while the profile was open makes the
 * next open run the whole quick_check first, so the profile opens in recovery however it was closed.
 */
export function lastCheckFile(dataDir: string) {
  const path = join(dataDir, 'integrity-check.json');
  return {
    async load(): Promise<IntegrityReport | null> {
      try {
        return reportSchema.parse(JSON.parse(await readFile(path, 'utf8')));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        // Unreadable: treated as damage seen, so the next open checks everything rather than nothing.
        return { ok: false, depth: 'quick', problems: [`${path}: ${(error as Error).message}`], checkedAt: '' };
      }
    },
    async save(report: IntegrityReport): Promise<void> {
      await replaceFile(path, JSON.stringify(report));
    },
    clear: () => rm(path, { force: true }),
  };
}

/**
 * Starts the quick_check of an opened profile in a worker thread. Damage is recorded (`lastCheckFile`)
 * and logged; the notice in the app reads the status and offers the way to the recovery tools.
 */
export async function checkInBackground(
  dataDir: string,
  key: DatabaseKey,
): Promise<{ status(): ProfileCheckStatus; stop(): Promise<void> }> {
  let status: ProfileCheckStatus = { running: true, report: null };
  const check = await checkProfileInWorker(dataDir, 'quick', key);
  let stopped = false;
  check.result.then(
    async (report) => {
      if (stopped) return;
      status = { running: false, report };
      if (!report.ok)
        console.error(`Curio: the database check found damage; open the recovery tools. ${report.problems.join(' ')}`);
      try {
        await lastCheckFile(dataDir).save(report);
      } catch (error) {
        console.warn(`Curio: the result of the database check could not be kept: ${(error as Error).message}`);
      }
    },
    (error: Error) => {
      status = { running: false, report: null };
      if (!stopped) console.warn(`Curio: the database check in the background did not finish: ${error.message}`);
    },
  );
  return {
    status: () => status,
    async stop() {
      stopped = true;
      await check.stop();
    },
  };
}
