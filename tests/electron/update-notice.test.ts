import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppCaller } from '../../main/api';
import { type Core, openCore } from '../../main/core';
import { withUpdates } from '../../main/electron/update-wiring';
import { createUpdateController, type FeedEvent, type UpdateFeed } from '../../main/electron/updates';
import { updateNotice } from '../../renderer/src/lib/update-notice';

/** An update feed the test drives by hand. */
function handFeed() {
  let listener: (event: FeedEvent) => void = () => undefined;
  const installs: number[] = [];
  const feed: UpdateFeed = {
    check: async () => undefined,
    installAndRestart: () => void installs.push(1),
    onEvent: (next) => void (listener = next),
  };
  return { feed, installs, emit: (event: FeedEvent) => listener(event) };
}

let dir: string;
let core: Core | null = null;
async function openTestCore(): Promise<Core> {
  dir = await mkdtemp(join(tmpdir(), 'curio-update-notice-'));
  core = await openCore({ dataDir: dir, actor: { id: 'local:ada', name: 'Ada' } });
  return core;
}
afterEach(async () => {
  await core?.close();
  core = null;
  await rm(dir, { recursive: true, force: true });
});

describe('the update notice above every screen', () => {
  it("reads the desktop app's update through the API and restarts it from the notice", async () => {
    const { feed, installs, emit } = handFeed();
    const busy: ('save' | 'sync')[] = ['save'];
    const updates = createUpdateController(feed, { busy: () => busy, every: () => () => undefined, now: () => 0 });
    const opened = await openTestCore();
    // As main/index.ts serves the window's calls.
    const caller = createAppCaller(withUpdates(opened.context, updates));

    expect(updateNotice(await caller.updates.state())).toBeNull();
    await expect(caller.updates.restart()).rejects.toMatchObject({
      message: expect.stringMatching(/No update is ready/),
    });

    emit({ type: 'available', version: '0.2.0' });
    emit({ type: 'downloaded', version: '0.2.0' });
    expect(updateNotice(await caller.updates.state())).toEqual({ text: 'Curio 0.2.0 is ready.', restart: true });
    expect(updateNotice(await caller.updates.restart())).toEqual({
      text: 'Curio 0.2.0 installs as soon as the save in progress finishes.',
      restart: false,
    });
    expect(installs).toEqual([]);
    // The rest of the API is the core's as before.
    expect((await caller.entities.list({ type: 'person' })).items).toEqual([]);
  });

  it('shows nothing in browser mode', async () => {
    const opened = await openTestCore();
    expect(await opened.createCaller().updates.state()).toBeNull();
  });

  it('turns "too old for the server" into the way out', () => {
    const base = { version: '0.2.0', percent: 40, restartWaitsFor: null, serverNeedsUpdate: true, error: null };
    expect(updateNotice({ ...base, phase: 'checking' })?.text).toBe(
      'Your Curio is too old for the server: looking for the update…',
    );
    expect(updateNotice({ ...base, phase: 'downloading' })?.text).toBe(
      'Your Curio is too old for the server: downloading Curio 0.2.0 (40 %).',
    );
    expect(updateNotice({ ...base, phase: 'ready' })).toEqual({
      text: 'Your Curio is too old for the server. Curio 0.2.0 is ready.',
      restart: true,
    });
    expect(updateNotice({ ...base, phase: 'idle', version: null })?.text).toBe(
      'Your Curio is too old for the server, and no update was found: ask your team for the current Curio installer.',
    );
    // A download the server does not need yet stays quiet until it is ready.
    expect(updateNotice({ ...base, phase: 'downloading', serverNeedsUpdate: false })).toBeNull();
  });
});
