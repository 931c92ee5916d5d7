/**
 * CLIENT-18: after the storage rolled back pulled writes the replication starts again, but a failure that
 * lasts (a full disk) must not restart it in a hot loop (main/sync/replay.ts).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Replay } from '../../main/sync/replay';

const BACKOFF = { initialMs: 1000, maxMs: 60_000 };

describe('restarts after pulled writes were rolled back (CLIENT-18)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('CLIENT-18: a failure that lasts restarts after 1 s, 2 s, 4 s ... and at most once a minute', () => {
    const replay = new Replay(BACKOFF);
    const restartsAt: number[] = [];
    // Every restart fails again at once, and each failure reports several lost batches.
    const restart = () => {
      restartsAt.push(Date.now());
      for (let lost = 0; lost < 5; lost++) replay.schedule(restart);
    };
    const start = Date.now();
    for (let lost = 0; lost < 5; lost++) replay.schedule(restart);
    vi.advanceTimersByTime(10 * 60_000);

    const waits = restartsAt.map((at, index) => at - (restartsAt[index - 1] ?? start));
    expect(waits.slice(0, 7)).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 60_000]);
    expect(waits.slice(7).every((wait) => wait === 60_000)).toBe(true);
    expect(restartsAt.length).toBeLessThan(20);
  });

  it('CLIENT-18: once in sync again, the next loss waits the first delay', () => {
    const replay = new Replay(BACKOFF);
    let restarts = 0;
    for (let lost = 0; lost < 3; lost++) {
      replay.schedule(() => restarts++);
      vi.runOnlyPendingTimers();
    }
    expect(restarts).toBe(3);

    replay.succeeded();
    replay.schedule(() => restarts++);
    expect(replay.waiting).toBe(true);
    vi.advanceTimersByTime(999);
    expect(restarts).toBe(3);
    vi.advanceTimersByTime(1);
    expect(restarts).toBe(4);
    expect(replay.waiting).toBe(false);
  });

  it('CLIENT-18: a stopped replication drops the restart that waited', () => {
    const replay = new Replay(BACKOFF);
    let restarts = 0;
    replay.schedule(() => restarts++);
    replay.cancel();
    vi.advanceTimersByTime(120_000);
    expect(restarts).toBe(0);
    expect(replay.waiting).toBe(false);
  });
});
