import type { Store } from '../store';
import { compactTombstones } from './tombstones';

export { tombstoneHorizon } from './tombstones';

/** How long the server keeps what it no longer needs (RETAIN-*); days of 0 mean "as soon as possible". */
export interface RetentionSettings {
  /** Server audit entries (sign-ins, user changes) older than this are deleted. Default 365. */
  serverAuditDays: number;
  /** Permanent-delete tombstones older than this are compacted (RETAIN-3, PULL-7). Default 90. */
  tombstoneDays: number;
  /**
   * Setup codes that can no longer be used (expired, used or withdrawn) longer than this are deleted (RETAIN-4).
   * Until then a user who types one is told why it no longer works rather than that it is wrong. Default 30.
   */
  spentSetupCodeDays: number;
  /** How often a running server applies retention (also once at start). Default 60. */
  intervalMinutes: number;
}

export const DEFAULT_RETENTION: RetentionSettings = {
  serverAuditDays: 365,
  tombstoneDays: 90,
  spentSetupCodeDays: 30,
  intervalMinutes: 60,
};

/** The settings given, each missing (or undefined) one from DEFAULT_RETENTION. */
export function retentionSettings(given: Partial<RetentionSettings> = {}): RetentionSettings {
  return {
    serverAuditDays: given.serverAuditDays ?? DEFAULT_RETENTION.serverAuditDays,
    tombstoneDays: given.tombstoneDays ?? DEFAULT_RETENTION.tombstoneDays,
    spentSetupCodeDays: given.spentSetupCodeDays ?? DEFAULT_RETENTION.spentSetupCodeDays,
    intervalMinutes: given.intervalMinutes ?? DEFAULT_RETENTION.intervalMinutes,
  };
}

/** Rows removed by one retention run, by kind (the labels of `curio_retention_deleted_total`). */
export interface RetentionOutcome {
  sessions: number;
  refreshTokens: number;
  serverAudit: number;
  tombstones: number;
  setupCodes: number;
}

/**
 * One retention run (RETAIN-1 … RETAIN-4). Idempotent and safe to run from
 * several server processes on one PostgreSQL at once.
 */
export async function runRetention(
  store: Store,
  settings: Pick<RetentionSettings, 'serverAuditDays' | 'tombstoneDays' | 'spentSetupCodeDays'>,
  now = new Date(),
): Promise<RetentionOutcome> {
  const { sql } = store;
  const at = now.toISOString();
  // RETAIN-1: an expired session can never be refreshed again; its rotated tokens only served reuse detection.
  const refreshTokens = await sql.run(
    'DELETE FROM refresh_tokens WHERE session_id IN (SELECT id FROM sessions WHERE expires_at < ?)',
    [at],
  );
  const sessions = await sql.run('DELETE FROM sessions WHERE expires_at < ?', [at]);
  // RETAIN-2
  const auditCutoff = new Date(now.getTime() - settings.serverAuditDays * 86_400_000).toISOString();
  const serverAudit = await sql.run('DELETE FROM server_audit WHERE at < ?', [auditCutoff]);
  const tombstones = await compactTombstones(sql, settings.tombstoneDays, now);
  // RETAIN-4: a code is spent from the first of its expiry, use or withdrawal; none of them is ever undone.
  const codeCutoff = new Date(now.getTime() - settings.spentSetupCodeDays * 86_400_000).toISOString();
  const setupCodes = await sql.run('DELETE FROM setup_codes WHERE expires_at < ? OR used_at < ? OR revoked_at < ?', [
    codeCutoff,
    codeCutoff,
    codeCutoff,
  ]);
  return {
    sessions: sessions.changes,
    refreshTokens: refreshTokens.changes,
    serverAudit: serverAudit.changes,
    tombstones,
    setupCodes: setupCodes.changes,
  };
}

/**
 * Runs retention now and then every `intervalMinutes` until stopped (the
 * returned function waits for a run in progress); failures are reported,
 * never thrown.
 */
export function scheduleRetention(
  store: Store,
  settings: RetentionSettings,
  report: (outcome: RetentionOutcome | null, error?: unknown) => void,
): () => Promise<void> {
  let running: Promise<void> | null = null;
  const run = () => {
    running ??= runRetention(store, settings)
      .then((outcome) => report(outcome))
      .catch((error: unknown) => report(null, error))
      .finally(() => {
        running = null;
      });
  };
  run();
  const timer = setInterval(run, Math.max(1, settings.intervalMinutes) * 60_000);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
