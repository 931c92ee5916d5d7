import type { SqlDb } from '../store';

/** At most `max` hits per key in each window of `windowSeconds`. */
export interface RateLimit {
  max: number;
  windowSeconds: number;
}

/**
 * Fixed windows counted in the store (table `rate_windows`), so every server
 * process on one PostgreSQL database shares the count (LIMIT-1).
 */
export interface RateLimiter {
  /** Counts a hit; returns the seconds to wait when the key is over its limit, else 0. */
  hit(key: string): Promise<number>;
}

/**
 * One atomic upsert per reserved block of hits: a new window starts the count
 * at the block, the current window adds it. Windows are aligned to the clock
 * (start = now rounded down), so processes agree on them as far as their
 * clocks agree.
 */
const RESERVE = `INSERT INTO rate_windows (key, window_start, expires_at, hits) VALUES (?, ?, ?, ?)
  ON CONFLICT (key) DO UPDATE SET
    hits = CASE WHEN rate_windows.window_start = excluded.window_start
      THEN rate_windows.hits + excluded.hits ELSE excluded.hits END,
    window_start = excluded.window_start,
    expires_at = excluded.expires_at
  RETURNING hits`;

/** The whole seconds, at least one, a refused key waits for its window to end. */
function secondsLeft(windowStart: number, windowMs: number, now: number): number {
  return Math.max(1, Math.ceil((windowStart + windowMs - now) / 1000));
}

/** How often a limiter deletes ended windows (lazily, on a hit). */
const PRUNE_EVERY_MS = 10 * 60_000;

/** How a limiter counts in the store; see storedRateLimiter. */
export type Counting = 'every-hit' | 'in-blocks';

/**
 * `scope` keeps the keys of different limits apart (`sign-in`, `session`).
 * NOTE: a SQLite store is served by one process only, so its windows are
 * counted in memory: a write transaction per request cost a push a tenth of
 * its throughput, and there is no other process to share the count with.
 */
export function createRateLimiter(
  sql: SqlDb,
  scope: string,
  limit: RateLimit,
  counting: Counting = 'every-hit',
): RateLimiter {
  return sql.dialect === 'sqlite' ? inMemoryRateLimiter(limit) : storedRateLimiter(sql, scope, limit, counting);
}

/** Fixed windows aligned to the clock, as the stored ones, held in this process. */
function inMemoryRateLimiter(limit: RateLimit): RateLimiter {
  const windowMs = limit.windowSeconds * 1000;
  let windows = new Map<string, number>();
  let windowStart = 0;
  return {
    async hit(key) {
      const now = Date.now();
      const start = now - (now % windowMs);
      if (start !== windowStart) {
        windowStart = start;
        windows = new Map();
      }
      const hits = (windows.get(key) ?? 0) + 1;
      windows.set(key, hits);
      if (hits <= limit.max) return 0;
      return secondsLeft(start, windowMs, now);
    },
  };
}

/**
 * NOTE: counting `in-blocks` (the per-session limit, on every request), a
 * process takes hits from the store in blocks of a hundredth of the limit and
 * spends them in memory, so a session making 1000 requests costs 10 upserts,
 * not 1000 (one per request cost a PostgreSQL push a tenth of its throughput).
 * No key ever gets more than `max` hits across processes; with N processes
 * serving one key it may be refused up to N-1 blocks early. Sign-in counts
 * `every-hit`: its keys are shared addresses, where a block held by one
 * process would be refused by the others.
 */
function storedRateLimiter(sql: SqlDb, scope: string, limit: RateLimit, counting: Counting): RateLimiter {
  const windowMs = limit.windowSeconds * 1000;
  const blockSize = counting === 'in-blocks' ? Math.max(1, Math.floor(limit.max / 100)) : 1;
  let prunedAt = Date.now();
  let windowStart = 0;
  let unspent = new Map<string, number>();
  // Counts only grow within a window: a key once over stays over until it ends.
  let over = new Set<string>();
  return {
    async hit(key) {
      const now = Date.now();
      if (now - prunedAt >= PRUNE_EVERY_MS) {
        prunedAt = now;
        void sql.run('DELETE FROM rate_windows WHERE expires_at < ?', [now]).catch(() => undefined);
      }
      const start = now - (now % windowMs);
      if (start !== windowStart) {
        windowStart = start;
        unspent = new Map();
        over = new Set();
      }
      if (over.has(key)) return secondsLeft(windowStart, windowMs, now);
      const left = unspent.get(key) ?? 0;
      if (left > 0) {
        unspent.set(key, left - 1);
        return 0;
      }
      const row = await sql.get<{ hits: number | string }>(RESERVE, [
        `${scope}:${key}`,
        start,
        start + windowMs,
        blockSize,
      ]);
      const granted = blockSize - Math.max(0, Number(row?.hits ?? 0) - limit.max);
      if (granted > 0) {
        if (start === windowStart) unspent.set(key, (unspent.get(key) ?? 0) + granted - 1);
        return 0;
      }
      if (start === windowStart) over.add(key);
      return secondsLeft(windowStart, windowMs, now);
    },
  };
}
