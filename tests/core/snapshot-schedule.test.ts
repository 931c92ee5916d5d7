import { afterEach, describe, expect, it } from 'vitest';
import { KEEP_DAYS, KEEP_LAST, SNAPSHOT_INTERVAL_MS } from '../../main/services/snapshots';
import { eventually } from '../sync/harness';
import { previousReleaseProfile } from './fixtures/previous-release';
import { openTestCore, type TestCore } from './helpers';

let core: TestCore | undefined;
afterEach(async () => {
  await core?.dispose();
  core = undefined;
});

describe('automatic snapshots on a schedule', () => {
  it('a core opened with daily snapshots takes one at start, listed in Settings', async () => {
    core = await openTestCore({ dailySnapshots: true });
    const opened = core;
    const listed = await eventually(async () => {
      const found = await opened.call.backup.snapshots();
      expect(found).toHaveLength(1);
      return found;
    });
    expect(listed[0]).toMatchObject({ reason: 'scheduled' });
  });

  it('takes a scheduled snapshot only when the newest is a day old', async () => {
    let clock = new Date('2026-03-01T09:00:00.000Z');
    core = await openTestCore({ now: () => clock });
    await core.call.entities.create({ type: 'series', fields: { name: 'Walks' } });
    const snapshots = core.context.services.snapshots;
    expect(await snapshots.takeIfDue()).toMatchObject({ reason: 'scheduled', entries: 1 });
    clock = new Date('2026-03-02T08:59:00.000Z');
    expect(await snapshots.takeIfDue()).toBeNull();
    clock = new Date('2026-03-02T09:00:00.000Z');
    expect(await snapshots.takeIfDue()).toMatchObject({ reason: 'scheduled', takenAt: clock.toISOString() });
    expect((await core.call.backup.snapshots()).map((s) => s.reason)).toEqual(['scheduled', 'scheduled']);
  });

  it(`the copy the open takes before a migration counts as the newest snapshot, and is kept among ${KEEP_LAST} newer ones`, async () => {
    let clock = new Date('2026-03-01T09:00:00.000Z');
    // A profile of the previous release: the open copies its file before RxDB migrates it.
    core = await openTestCore({ dataDir: await previousReleaseProfile(null), now: () => clock });
    const snapshots = core.context.services.snapshots;
    clock = new Date('2026-03-02T08:59:00.000Z');
    expect(await snapshots.takeIfDue()).toBeNull();
    // Daily snapshots for longer than KEEP_LAST and KEEP_DAYS keep: only KEEP_BEFORE_MIGRATION keeps the copy.
    const days = KEEP_LAST + KEEP_DAYS;
    for (let day = 1; day <= days; day += 1) {
      clock = new Date(Date.parse('2026-03-01T09:00:00.000Z') + day * SNAPSHOT_INTERVAL_MS);
      expect(await snapshots.takeIfDue()).toMatchObject({ reason: 'scheduled', takenAt: clock.toISOString() });
    }
    expect((await core.call.backup.snapshots()).map((s) => s.reason)).toEqual([
      ...Array<string>(KEEP_LAST).fill('scheduled'),
      'before-migration',
    ]);
  });
});
