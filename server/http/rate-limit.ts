/** A fixed-window counter per key (client address); enough for login throttling on one process. */
export interface RateLimiter {
  /** Counts a hit; returns the seconds to wait when the key is over its limit, else 0. */
  hit(key: string): number;
}

export function createRateLimiter(max: number, windowSeconds: number): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    hit(key) {
      const now = Date.now();
      if (windows.size > 10_000) {
        for (const [k, w] of windows) if (now - w.start >= windowSeconds * 1000) windows.delete(k);
      }
      let window = windows.get(key);
      if (!window || now - window.start >= windowSeconds * 1000) {
        window = { start: now, count: 0 };
        windows.set(key, window);
      }
      window.count += 1;
      if (window.count <= max) return 0;
      return Math.max(1, Math.ceil((window.start + windowSeconds * 1000 - now) / 1000));
    },
  };
}
