import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { CoreContext } from '../../main/core';
import { createWriteLock } from '../../main/services/write-lock';
import { ServerError, SessionGoneError, type SyncStatus } from '../../main/sync';
import { pausedReasonOf } from '../../main/sync/status';
import { createUpdateOffers, type UpdateDialogs } from '../../main/electron/update-offers';
import { serverRefusesVersion, updateFeedOf, updateHostOf } from '../../main/electron/update-wiring';
import { createUpdateController, type FeedEvent } from '../../main/electron/updates';

/** electron-updater's autoUpdater stand-in: a real EventEmitter; checks emit what the test scripts. */
function fakeAutoUpdater(answers: [string, unknown?][][]) {
  const emitter = new EventEmitter();
  const installs: unknown[][] = [];
  const updater = Object.assign(emitter, {
    async checkForUpdates() {
      for (const [event, info] of answers.shift() ?? [['checking-for-update'], ['update-not-available']]) {
        emitter.emit(event, info);
      }
      return null;
    },
    quitAndInstall: (...args: unknown[]) => void installs.push(args),
  });
  return { updater, installs };
}

const noTimers = { busy: () => [], every: () => () => undefined, now: () => 0 };

function scriptedDialogs(restart: boolean) {
  const shown: string[] = [];
  const dialogs: UpdateDialogs = {
    async offerRestart({ message }) {
      shown.push(`offer: ${message}`);
      return restart;
    },
    inform: async ({ message }) => void shown.push(message),
  };
  return { dialogs, shown };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));
const downloads: [string, unknown?][] = [
  ['checking-for-update'],
  ['update-available', { version: '0.2.0' }],
  ['download-progress', { percent: 50 }],
  ['update-downloaded', { version: '0.2.0' }],
];

describe('update offers', () => {
  it("maps electron-updater's events onto the state machine", async () => {
    const { updater } = fakeAutoUpdater([downloads.slice(0, 3)]);
    const seen: FeedEvent[] = [];
    updateFeedOf(updater).onEvent((event) => seen.push(event));
    await updater.checkForUpdates();
    updater.emit('error', new Error('feed down'));
    expect(seen).toEqual([
      { type: 'checking' },
      { type: 'available', version: '0.2.0' },
      { type: 'progress', percent: 50 },
      { type: 'error', message: 'feed down' },
    ]);
  });

  it('offers "Restart to update" once per version, and installs when the person agrees', async () => {
    const { updater, installs } = fakeAutoUpdater([downloads]);
    const updates = createUpdateController(updateFeedOf(updater), noTimers);
    const { dialogs, shown } = scriptedDialogs(true);
    createUpdateOffers(updates, dialogs);
    await updates.check();
    await flush();
    expect(shown).toEqual(['offer: Curio 0.2.0 is ready: restart to update.']);
    expect(installs).toEqual([[false, true]]);
  });

  it('keeps the update for later when the person says Later; the menu offers it again', async () => {
    const { updater, installs } = fakeAutoUpdater([downloads]);
    const updates = createUpdateController(updateFeedOf(updater), noTimers);
    const { dialogs, shown } = scriptedDialogs(false);
    const offers = createUpdateOffers(updates, dialogs);
    await updates.check();
    await offers.checkForUpdates();
    expect(shown).toEqual([
      'offer: Curio 0.2.0 is ready: restart to update.',
      'offer: Curio 0.2.0 is ready: restart to update.',
    ]);
    expect(installs).toEqual([]);
  });

  it('answers Help ▸ Check for Updates when there is none', async () => {
    const { updater } = fakeAutoUpdater([]);
    const { dialogs, shown } = scriptedDialogs(false);
    const offers = createUpdateOffers(createUpdateController(updateFeedOf(updater), noTimers), dialogs);
    await offers.checkForUpdates();
    expect(shown).toEqual(['Curio is up to date.']);
  });

  /** The sync server refuses this version; the feed answers the check that follows with `answers`. */
  async function refusedByServer(answers: [string, unknown?][][]) {
    const { updater } = fakeAutoUpdater(answers);
    const updates = createUpdateController(updateFeedOf(updater), noTimers);
    const { dialogs, shown } = scriptedDialogs(false);
    createUpdateOffers(updates, dialogs);
    updates.serverNeedsUpdate(true);
    await flush();
    return shown;
  }

  it('turns a server refusing this version (426) into the update, not a dead end', async () => {
    const shown = await refusedByServer([downloads]);
    expect(shown).toEqual(['offer: Your Curio is too old for the server. Curio 0.2.0 is ready: restart to update.']);
  });

  it('says where to get the update when the server refuses this version and the feed has none', async () => {
    const shown = await refusedByServer([]);
    expect(shown).toEqual(['Your Curio is too old for the server, and no update was found.']);
  });

  it("recognizes the sync engine's pause after a 426, and nothing else", () => {
    const tooOld = pausedReasonOf(new ServerError(426, 'UPGRADE_REQUIRED', 'Update Curio.'));
    const paused = { phase: 'paused' as const, lastError: 'Update Curio.' };
    expect(serverRefusesVersion({ ...paused, notSentReason: tooOld })).toBe(true);
    const sessionEnded = new SessionGoneError('http://127.0.0.1:5309');
    expect(
      serverRefusesVersion({
        phase: 'paused',
        notSentReason: pausedReasonOf(sessionEnded),
        lastError: sessionEnded.message,
      }),
    ).toBe(false);
    expect(serverRefusesVersion({ phase: 'offline', notSentReason: null, lastError: tooOld })).toBe(false);
  });

  it('holds a restart for saves in the write lock and for a moving sync', async () => {
    const lock = createWriteLock();
    let finish: () => void = () => undefined;
    const saving = lock.run(() => new Promise<void>((resolve) => (finish = resolve)));
    const core = (phase: SyncStatus['phase']) => ({
      savesInProgress: () => lock.pending(),
      context: { sync: { status: { phase } } } as unknown as CoreContext,
    });
    expect(updateHostOf(core('in-sync')).busy()).toEqual(['save']);
    await Promise.resolve(); // the lock starts the sequence on its next turn
    finish();
    await saving;
    expect(updateHostOf(core('in-sync')).busy()).toEqual([]);
    expect(updateHostOf(core('syncing')).busy()).toEqual(['sync']);
    expect(updateHostOf(core('offline')).busy()).toEqual([]);
  });
});
