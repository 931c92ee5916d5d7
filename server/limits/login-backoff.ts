import type { SqlDb } from '../store';

/** How sign-in failures of one user name from one address slow further attempts (AUTH-7). */
export interface LoginBackoffSettings {
  /** Failed attempts allowed before the first wait. */
  freeFailures: number;
  /** The first wait; every further failure doubles it. */
  firstDelaySeconds: number;
  /** The longest wait. */
  maxDelaySeconds: number;
  /** Failures are forgotten after this long without a new one. */
  forgetAfterHours: number;
}

export const DEFAULT_LOGIN_BACKOFF: LoginBackoffSettings = {
  freeFailures: 5,
  firstDelaySeconds: 2,
  maxDelaySeconds: 15 * 60,
  forgetAfterHours: 24,
};

/**
 * A claimed attempt may go on to the password check; `waitSeconds` is the
 * wait it leaves behind if it fails. A refused one must not be checked.
 */
export type AttemptClaim = { allowed: true; waitSeconds: number } | { allowed: false; retryAfterSeconds: number };

export interface LoginBackoff {
  /**
   * Counts an attempt for (user name, address) before the password is
   * checked, so parallel attempts cannot slip past the count; refuses it
   * while that pair must wait.
   */
  claim(username: string, address: string): Promise<AttemptClaim>;
  /** A successful sign-in forgets the pair's failures. */
  succeeded(username: string, address: string): Promise<void>;
}

interface ThrottleRow {
  failures: number;
  last_failure_at: string;
  blocked_until: string | null;
}

/** Parallel attempts of one pair race on the row; a loser re-reads. More losses than this is a flood. */
const CLAIM_TRIES = 5;
/** How often a process deletes forgotten pairs (lazily, on a claim). */
const PRUNE_EVERY_MS = 10 * 60_000;

/** The user name as the pair is keyed: as sign-in looks it up. */
function nameKey(username: string): string {
  return username.trim().toLowerCase().slice(0, 200);
}

/** The wait after the `failures`-th failure in a row. */
export function waitAfter(failures: number, settings: LoginBackoffSettings): number {
  if (failures < settings.freeFailures) return 0;
  const doublings = Math.min(failures - settings.freeFailures, 30);
  return Math.min(settings.firstDelaySeconds * 2 ** doublings, settings.maxDelaySeconds);
}

/**
 * NOTE: the pair is keyed by the user name as typed (normalized), whether or
 * not an account has it, so a wait never tells an attacker that an account
 * exists; and by address, so an attacker elsewhere never locks the owner out.
 */
export function createLoginBackoff(sql: SqlDb, settings: LoginBackoffSettings): LoginBackoff {
  const forgetMs = settings.forgetAfterHours * 3_600_000;

  async function tryClaim(username: string, address: string): Promise<AttemptClaim | null> {
    const now = Date.now();
    const row = await sql.get<ThrottleRow>(
      'SELECT failures, last_failure_at, blocked_until FROM login_throttle WHERE username = ? AND address = ?',
      [username, address],
    );
    if (row?.blocked_until && Date.parse(row.blocked_until) > now) {
      return {
        allowed: false,
        retryAfterSeconds: Math.max(1, Math.ceil((Date.parse(row.blocked_until) - now) / 1000)),
      };
    }
    const forgotten = !row || Date.parse(row.last_failure_at) < now - forgetMs;
    const failures = (forgotten ? 0 : Number(row.failures)) + 1;
    const waitSeconds = waitAfter(failures, settings);
    const at = new Date(now).toISOString();
    const blockedUntil = waitSeconds > 0 ? new Date(now + waitSeconds * 1000).toISOString() : null;
    // Compare-and-set on the row as read: of two parallel attempts, one wins and the other re-reads.
    const { changes } = row
      ? await sql.run(
          `UPDATE login_throttle SET failures = ?, last_failure_at = ?, blocked_until = ?
           WHERE username = ? AND address = ? AND failures = ? AND last_failure_at = ?`,
          [failures, at, blockedUntil, username, address, row.failures, row.last_failure_at],
        )
      : await sql.run(
          `INSERT INTO login_throttle (username, address, failures, last_failure_at, blocked_until)
           VALUES (?, ?, ?, ?, ?) ON CONFLICT (username, address) DO NOTHING`,
          [username, address, failures, at, blockedUntil],
        );
    return changes === 1 ? { allowed: true, waitSeconds } : null;
  }

  let prunedAt = Date.now();
  function pruneNowAndThen(): void {
    if (Date.now() - prunedAt < PRUNE_EVERY_MS) return;
    prunedAt = Date.now();
    void pruneLoginThrottle(sql, prunedAt, settings).catch(() => undefined);
  }

  return {
    async claim(username, address) {
      pruneNowAndThen();
      for (let attempt = 0; attempt < CLAIM_TRIES; attempt += 1) {
        const claim = await tryClaim(nameKey(username), address);
        if (claim) return claim;
      }
      return { allowed: false, retryAfterSeconds: 1 };
    },
    async succeeded(username, address) {
      await sql.run('DELETE FROM login_throttle WHERE username = ? AND address = ?', [nameKey(username), address]);
    },
  };
}

/** A new password (or an erased account) lifts every wait on the user name. */
export async function clearLoginWaits(sql: SqlDb, username: string): Promise<void> {
  await sql.run('DELETE FROM login_throttle WHERE username = ?', [nameKey(username)]);
}

/** Until when sign-ins to each user name (or just `only`) wait, from at least one address (admin view). */
export async function heldUntil(sql: SqlDb, now: number, only?: string): Promise<Map<string, string>> {
  const rows = await sql.all<{ username: string; until: string }>(
    `SELECT username, MAX(blocked_until) AS until FROM login_throttle
     WHERE blocked_until > ?${only === undefined ? '' : ' AND username = ?'} GROUP BY username`,
    only === undefined ? [new Date(now).toISOString()] : [new Date(now).toISOString(), nameKey(only)],
  );
  return new Map(rows.map((row) => [row.username, row.until]));
}

/** Deletes pairs whose failures are forgotten and whose wait is over. */
async function pruneLoginThrottle(sql: SqlDb, now: number, settings: LoginBackoffSettings): Promise<void> {
  const nowIso = new Date(now).toISOString();
  await sql.run(
    'DELETE FROM login_throttle WHERE last_failure_at < ? AND (blocked_until IS NULL OR blocked_until < ?)',
    [new Date(now - settings.forgetAfterHours * 3_600_000).toISOString(), nowIso],
  );
}
