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
 * One atomic upsert per hit: a new window starts the count at 1, the current
 * window adds 1. Windows are aligned to the clock (start = now rounded down),
 * so processes agree on them as far as their clocks agree.
 */
const HIT = `INSERT INTO rate_windows (key, window_start, expires_at, hits) VALUES (?, ?, ?, 1)
  ON CONFLICT (key) DO UPDATE SET
    hits = CASE WHEN rate_windows.window_start = excluded.window_start THEN rate_windows.hits + 1 ELSE 1 END,
    window_start = excluded.window_start,
    expires_at = excluded.expires_at
  RETURNING hits`;

/** How often a limiter deletes ended windows (lazily, on a hit). */
const PRUNE_EVERY_MS = 10 * 60_000;

/**
 * `scope` keeps the keys of different limits apart (`sign-in`, `session`).
 * NOTE: a SQLite store is served by one process only, so its windows are
 * counted in memory: a write transaction per request cost a push a tenth of
 * its throughput, and there is no other process to share the count with.
 */
export function createRateLimiter(sql: SqlDb, scope: string, limit: RateLimit): RateLimiter {
  return sql.dialect === 'sqlite' ? inMemoryRateLimiter(limit) : storedRateLimiter(sql, scope, limit);
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
      return Math.max(1, Math.ceil((start + windowMs - now) / 1000));
    },
  };
}

function storedRateLimiter(sql: SqlDb, scope: string, limit: RateLimit): RateLimiter {
  const windowMs = limit.windowSeconds * 1000;
  let prunedAt = Date.now();
  return {
    async hit(key) {
      const now = Date.now();
      if (now - prunedAt >= PRUNE_EVERY_MS) {
        prunedAt = now;
        void sql.run('DELETE FROM rate_windows WHERE expires_at < ?', [now]).catch(() => undefined);
      }
      const start = now - (now % windowMs);
      const row = await sql.get<{ hits: number | string }>(HIT, [`${scope}:${key}`, start, start + windowMs]);
      if (Number(row?.hits ?? 0) <= limit.max) return 0;
      return Math.max(1, Math.ceil((start + windowMs - now) / 1000));
    },
  };
}
