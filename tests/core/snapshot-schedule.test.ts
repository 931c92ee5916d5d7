import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../sync/harness';
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

  it('takes a scheduled snapshot only when the newest is a day old, and one before a migration', async () => {
    let clock = new Date('2026-03-01T09:00:00.000Z');
    core = await openTestCore({ now: () => clock });
    await core.call.entities.create({ type: 'series', fields: { name: 'Walks' } });
    const snapshots = core.context.services.snapshots;
    expect(await snapshots.takeIfDue()).toMatchObject({ reason: 'scheduled', entries: 1 });
    clock = new Date('2026-03-02T08:59:00.000Z');
    expect(await snapshots.takeIfDue()).toBeNull();
    clock = new Date('2026-03-02T09:00:00.000Z');
    expect(await snapshots.takeIfDue()).toMatchObject({ reason: 'scheduled', takenAt: clock.toISOString() });
    clock = new Date('2026-03-02T09:01:00.000Z');
    expect(await snapshots.beforeMigration()).toMatchObject({ reason: 'before-migration' });
    expect((await core.call.backup.snapshots()).map((s) => s.reason)).toEqual([
      'before-migration',
      'scheduled',
      'scheduled',
    ]);
  });
});
