import { describe, expect, it } from 'vitest';
import {
  BUSY_RECHECK_MS,
  CHECK_EVERY_MS,
  createUpdateController,
  SYNC_WAIT_MAX_MS,
  type BusyWork,
  type FeedEvent,
  type UpdateFeed,
} from '../../main/electron/updates';

/** electron-updater as scripted: each check answers with the given events. */
function fakeFeed(answers: FeedEvent[][]) {
  let listener: (event: FeedEvent) => void = () => undefined;
  const calls: string[] = [];
  const feed: UpdateFeed = {
    async check() {
      calls.push('check');
      for (const event of answers.shift() ?? [{ type: 'checking' }, { type: 'not-available' }]) listener(event);
    },
    installAndRestart: () => void calls.push('install'),
    onEvent: (next) => void (listener = next),
  };
  return { feed, calls, emit: (event: FeedEvent) => listener(event) };
}

/** A hand clock with intervals, and the work in progress as the test sets it. */
function fakeHost() {
  let now = 0;
  let busy: BusyWork[] = [];
  const timers = new Set<{ ms: number; next: number; run: () => void }>();
  return {
    host: {
      busy: () => busy,
      now: () => now,
      every(ms: number, run: () => void) {
        const timer = { ms, next: now + ms, run };
        timers.add(timer);
        return () => void timers.delete(timer);
      },
    },
    setBusy: (work: BusyWork[]) => void (busy = work),
    advance(ms: number) {
      const end = now + ms;
      for (;;) {
        const due = [...timers].filter((t) => t.next <= end).sort((a, b) => a.next - b.next)[0];
        if (!due) break;
        now = due.next;
        due.next += due.ms;
        due.run();
      }
      now = end;
    },
    timers: () => timers.size,
  };
}

const update: FeedEvent[] = [
  { type: 'checking' },
  { type: 'available', version: '0.2.0' },
  { type: 'progress', percent: 41.6 },
];

describe('update state machine', () => {
  it('checks on start and every few hours, back to idle when there is no update', async () => {
    const { feed, calls } = fakeFeed([]);
    const clock = fakeHost();
    const updates = createUpdateController(feed, clock.host);
    const phases: string[] = [];
    updates.subscribe((state) => phases.push(state.phase));
    updates.start();
    await Promise.resolve();
    expect(calls).toEqual(['check']);
    expect(phases).toEqual(['checking', 'idle']);
    clock.advance(CHECK_EVERY_MS - 1);
    expect(calls).toEqual(['check']);
    clock.advance(1);
    expect(calls).toEqual(['check', 'check']);
    expect(updates.state()).toMatchObject({ phase: 'idle', version: null, restartWaitsFor: null });
  });

  it('downloads in the background with progress, then offers the restart', async () => {
    const { feed, calls, emit } = fakeFeed([update]);
    const updates = createUpdateController(feed, fakeHost().host);
    await updates.check();
    expect(updates.state()).toMatchObject({ phase: 'downloading', version: '0.2.0', percent: 42 });
    // A check while downloading does not start another.
    await updates.check();
    expect(calls).toEqual(['check']);
    emit({ type: 'downloaded', version: '0.2.0' });
    expect(updates.state()).toMatchObject({ phase: 'ready', version: '0.2.0', percent: 100 });
    emit({ type: 'error', message: 'the feed is down' });
    expect(updates.state().phase).toBe('ready');
    updates.restart();
    expect(calls).toEqual(['check', 'install']);
  });

  it('does not restart before an update is ready', async () => {
    const { feed, calls } = fakeFeed([update]);
    const updates = createUpdateController(feed, fakeHost().host);
    await updates.check();
    updates.restart();
    expect(calls).toEqual(['check']);
  });

  /** An update downloaded, then "Restart to update" while `busy` runs. */
  async function restartWhile(busy: BusyWork[]) {
    const { feed, calls, emit } = fakeFeed([update]);
    const clock = fakeHost();
    const updates = createUpdateController(feed, clock.host);
    await updates.check();
    emit({ type: 'downloaded', version: '0.2.0' });
    clock.setBusy(busy);
    updates.restart();
    expect(updates.state().restartWaitsFor).toEqual(busy);
    return { calls, clock, updates };
  }

  it('waits for a save in progress before it restarts, however long it takes', async () => {
    const { calls, clock, updates } = await restartWhile(['save']);
    clock.advance(SYNC_WAIT_MAX_MS * 3);
    expect(calls).toEqual(['check']);
    clock.setBusy([]);
    clock.advance(BUSY_RECHECK_MS);
    expect(calls).toEqual(['check', 'install']);
    expect(updates.state().restartWaitsFor).toEqual([]);
    expect(clock.timers()).toBe(0);
  });

  it('waits for a running sync, but not past SYNC_WAIT_MAX_MS', async () => {
    const { calls, clock } = await restartWhile(['sync']);
    clock.advance(SYNC_WAIT_MAX_MS - BUSY_RECHECK_MS);
    expect(calls).toEqual(['check']);
    clock.advance(BUSY_RECHECK_MS);
    expect(calls).toEqual(['check', 'install']);
  });

  it('offers the update when the server says this version is too old (426), checking at once', async () => {
    const { feed, calls, emit } = fakeFeed([update]);
    const updates = createUpdateController(feed, fakeHost().host);
    updates.serverNeedsUpdate(true);
    await Promise.resolve();
    expect(calls).toEqual(['check']);
    expect(updates.state()).toMatchObject({ serverNeedsUpdate: true, phase: 'downloading' });
    emit({ type: 'downloaded', version: '0.2.0' });
    expect(updates.state()).toMatchObject({ serverNeedsUpdate: true, phase: 'ready' });
    updates.serverNeedsUpdate(false);
    expect(updates.state().serverNeedsUpdate).toBe(false);
  });

  it('reports a failed check and tries again on the next one', async () => {
    const { feed } = fakeFeed([[{ type: 'checking' }, { type: 'error', message: 'net::ERR_NAME_NOT_RESOLVED' }]]);
    const updates = createUpdateController(feed, fakeHost().host);
    await updates.check();
    expect(updates.state()).toMatchObject({ phase: 'error', error: 'net::ERR_NAME_NOT_RESOLVED' });
    await updates.check();
    expect(updates.state()).toMatchObject({ phase: 'idle', error: null });
  });
});
