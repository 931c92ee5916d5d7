/**
 * Idle work waits for the writes to pause: every `schedule` moves the end of the wait (each save schedules),
 * and the work runs once it ends, not once per call.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { idleWork, type IdleWork } from '../../main/storage';

const WAIT_MS = 300;

describe('idleWork: the wait a schedule asks for', () => {
  let work: IdleWork | undefined;
  afterEach(() => work?.close());

  /** Work of `steps` steps on a file the app has left alone for long. */
  function counted(steps: number) {
    const done: number[] = [];
    let left = steps;
    work = idleWork(
      { idleMs: 10_000, waitForWriteTurn: async () => {}, checkpointer: { request() {} } },
      {
        pending: () => left > 0,
        step: () => {
          left -= 1;
          done.push(performance.now());
        },
        what: 'test work',
      },
    );
    return { work, done };
  }

  it('a later schedule moves the end of the wait; the work runs after the last one', async () => {
    const { work, done } = counted(1);
    const start = performance.now();
    let last = start;
    while (performance.now() - start < 2 * WAIT_MS) {
      work.schedule(WAIT_MS);
      last = performance.now();
      expect(done).toEqual([]);
      await new Promise((resolve) => setTimeout(resolve, WAIT_MS / 10));
    }
    await new Promise((resolve) => setTimeout(resolve, 2 * WAIT_MS));
    expect(done).toHaveLength(1);
    expect(done[0]! - last).toBeGreaterThanOrEqual(WAIT_MS - 5);
  });

  it('a shorter wait asked later is not held up by the longer one set before', async () => {
    const { work, done } = counted(1);
    const start = performance.now();
    work.schedule(60_000);
    work.schedule(10);
    await new Promise((resolve) => setTimeout(resolve, WAIT_MS));
    expect(done).toHaveLength(1);
    expect(done[0]! - start).toBeLessThan(WAIT_MS);
  });
});
