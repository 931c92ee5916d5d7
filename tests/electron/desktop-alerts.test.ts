import { describe, expect, it } from 'vitest';
import type { Role } from '../../shared/protocol';
import {
  createAlertRules,
  SYNC_STUCK_AFTER_MS,
  type AlertSettings,
  type SyncFacts,
} from '../../main/electron/desktop-alerts';
import { startDesktopAlerts, type AlertSource } from '../../main/electron/desktop-alerts-wiring';

const ON: AlertSettings = { notifyConflicts: true, notifySyncPaused: true, conflictBadge: true };
const conflict = (id: string, entityTitle = `Entry ${id}`) => ({ id, entityTitle });
const inSync: SyncFacts = { phase: 'in-sync', notSentReason: null, lastError: null };
const sessionEnded: SyncFacts = {
  phase: 'paused',
  notSentReason: 'your session on the server ended; sign in again',
  lastError: null,
};
const MINUTE = 60_000;

describe('conflict notifications', () => {
  it('tells an admin about new conflicts once each, not about those open at start-up', () => {
    const rules = createAlertRules();
    expect(rules.conflicts([conflict('a')], 'admin', ON)).toBeNull();
    expect(rules.conflicts([conflict('a'), conflict('b', 'Ada Lovelace')], 'admin', ON)).toEqual({
      title: 'New sync conflict',
      body: 'Ada Lovelace was changed in two places. Open Conflicts to choose.',
    });
    expect(rules.conflicts([conflict('a'), conflict('b')], 'admin', ON)).toBeNull();
    expect(rules.conflicts([conflict('b'), conflict('c'), conflict('d')], 'admin', ON)).toMatchObject({
      title: '2 new sync conflicts',
    });
  });

  it('does not tell an editor or a viewer, who cannot resolve conflicts', () => {
    for (const role of ['editor', 'viewer'] as Role[]) {
      const rules = createAlertRules();
      rules.conflicts([], role, ON);
      expect(rules.conflicts([conflict('a')], role, ON)).toBeNull();
    }
  });

  it('stays quiet when switched off, and does not replay those conflicts when switched on again', () => {
    const rules = createAlertRules();
    rules.conflicts([], 'admin', ON);
    const off = { ...ON, notifyConflicts: false };
    expect(rules.conflicts([conflict('a')], 'admin', off)).toBeNull();
    expect(rules.conflicts([conflict('a')], 'admin', ON)).toBeNull();
    expect(rules.conflicts([conflict('a'), conflict('b')], 'admin', ON)).toMatchObject({ title: 'New sync conflict' });
  });

  it('puts the open conflicts on the badge for admins, when the badge is on', () => {
    const rules = createAlertRules();
    expect(rules.badge(3, 'admin', ON)).toBe(3);
    expect(rules.badge(3, 'editor', ON)).toBe(0);
    expect(rules.badge(3, 'admin', { ...ON, conflictBadge: false })).toBe(0);
  });
});

describe('stuck sync notifications', () => {
  it('tells once sync has been paused past the threshold, once per stop (any role: the rule has none)', () => {
    const rules = createAlertRules();
    expect(rules.sync(sessionEnded, 0, ON)).toBeNull();
    expect(rules.nextSyncCheck(MINUTE)).toBe(SYNC_STUCK_AFTER_MS - MINUTE);
    expect(rules.sync(sessionEnded, SYNC_STUCK_AFTER_MS - 1, ON)).toBeNull();
    expect(rules.sync(sessionEnded, SYNC_STUCK_AFTER_MS, ON)).toEqual({
      title: 'Curio is not syncing',
      body: 'Changes have not been sent for 5 minutes: your session on the server ended; sign in again.',
    });
    expect(rules.sync(sessionEnded, 2 * SYNC_STUCK_AFTER_MS, ON)).toBeNull();
    expect(rules.nextSyncCheck(2 * SYNC_STUCK_AFTER_MS)).toBeNull();
  });

  it('counts a changed role that keeps changes from being sent, and the server refusing the version', () => {
    const demoted = { phase: 'in-sync', notSentReason: 'your role is now viewer', lastError: null };
    const tooOld = {
      phase: 'paused',
      notSentReason: null,
      lastError: 'This version of Curio is too old for the server.',
    };
    for (const stuck of [demoted, tooOld]) {
      const rules = createAlertRules();
      rules.sync(stuck, 0, ON);
      expect(rules.sync(stuck, SYNC_STUCK_AFTER_MS, ON)?.body).toMatch(
        /(role is now viewer|too old for the server)\.$/,
      );
    }
  });

  it('starts counting again after sync recovers, and ignores being offline', () => {
    const rules = createAlertRules();
    rules.sync(sessionEnded, 0, ON);
    expect(rules.sync(inSync, 4 * MINUTE, ON)).toBeNull();
    expect(rules.sync(sessionEnded, 5 * MINUTE, ON)).toBeNull();
    expect(rules.sync(sessionEnded, 10 * MINUTE, ON)).not.toBeNull();
    const offline = { phase: 'offline', notSentReason: null, lastError: 'The server cannot be reached.' };
    const other = createAlertRules();
    other.sync(offline, 0, ON);
    expect(other.sync(offline, 60 * MINUTE, ON)).toBeNull();
  });

  it('stays quiet when switched off', () => {
    const rules = createAlertRules();
    rules.sync(sessionEnded, 0, ON);
    expect(rules.sync(sessionEnded, SYNC_STUCK_AFTER_MS, { ...ON, notifySyncPaused: false })).toBeNull();
  });
});

describe('the alerts wiring', () => {
  /** The core's facts by hand, and a clock whose timers run when the test says. */
  function fakes(role: Role = 'admin') {
    const facts = { role, settings: ON, conflicts: [] as { id: string; entityTitle: string }[], sync: inSync };
    const listeners = { conflicts: [] as (() => void)[], sync: [] as (() => void)[], settings: [] as (() => void)[] };
    const on = (list: (() => void)[]) => (run: () => void) => {
      list.push(run);
      return () => list.splice(list.indexOf(run), 1);
    };
    const source: AlertSource = {
      settings: () => facts.settings,
      role: () => facts.role,
      openConflicts: async () => ({ items: facts.conflicts, total: facts.conflicts.length }),
      syncStatus: () => facts.sync,
      onConflicts: on(listeners.conflicts),
      onSync: on(listeners.sync),
      onSettings: on(listeners.settings),
    };
    const clock = { time: 0, timers: [] as { at: number; run: () => void }[] };
    const notices: string[] = [];
    const badges: number[] = [];
    const alerts = startDesktopAlerts({
      source,
      output: { notify: (n) => void notices.push(n.title), setBadge: (n) => void badges.push(n) },
      clock: {
        now: () => clock.time,
        setTimer: (run, ms) => {
          const timer = { at: clock.time + ms, run };
          clock.timers.push(timer);
          return timer;
        },
        clearTimer: (timer) => void clock.timers.splice(clock.timers.indexOf(timer as never), 1),
      },
    });
    const settle = () => new Promise((done) => setTimeout(done, 0));
    const advance = (ms: number) => {
      clock.time += ms;
      for (const timer of clock.timers.filter((t) => t.at <= clock.time)) {
        clock.timers.splice(clock.timers.indexOf(timer), 1);
        timer.run();
      }
    };
    const emit = (kind: keyof typeof listeners) => listeners[kind].forEach((run) => run());
    return { facts, notices, badges, alerts, settle, advance, emit, listeners };
  }

  it('notifies a new conflict and keeps the badge at the open count', async () => {
    const f = fakes();
    await f.settle();
    f.facts.conflicts = [conflict('a')];
    f.emit('conflicts');
    await f.settle();
    expect(f.notices).toEqual(['New sync conflict']);
    expect(f.badges.at(-1)).toBe(1);
    f.facts.settings = { ...ON, conflictBadge: false };
    f.emit('settings');
    await f.settle();
    expect(f.badges.at(-1)).toBe(0);
  });

  it('clears the badge when an admin becomes an editor', async () => {
    const f = fakes();
    f.facts.conflicts = [conflict('a')];
    f.emit('conflicts');
    await f.settle();
    expect(f.badges.at(-1)).toBe(1);
    f.facts.role = 'editor';
    f.emit('sync');
    await f.settle();
    expect(f.badges.at(-1)).toBe(0);
  });

  it('notifies a stuck sync by its timer, with no status change needed, and stops cleanly', async () => {
    const f = fakes('editor');
    f.facts.sync = sessionEnded;
    f.emit('sync');
    f.advance(SYNC_STUCK_AFTER_MS - 1);
    expect(f.notices).toEqual([]);
    f.advance(1);
    expect(f.notices).toEqual(['Curio is not syncing']);
    f.alerts.stop();
    expect(f.listeners.sync).toHaveLength(0);
  });
});
