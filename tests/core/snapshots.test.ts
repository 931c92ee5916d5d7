import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KEEP_DAYS, KEEP_LAST } from '../../main/services/snapshots';
import { snapshotsToKeep } from '../../main/services';
import { openTestCore, type TestCore } from './helpers';

let core: TestCore | undefined;
afterEach(async () => {
  await core?.dispose();
});

describe('safety snapshots', () => {
  it(`keeps the last ${KEEP_LAST} and the newest of each of the last ${KEEP_DAYS} days`, () => {
    const now = new Date('2026-03-20T12:00:00.000Z');
    // Three a day, at 01:00, 02:00 and 03:00, for 20 days up to today.
    const snapshots = Array.from({ length: 60 }, (_, i) => {
      const takenAt = new Date(Date.UTC(2026, 2, 1 + Math.floor(i / 3), 1 + (i % 3))).toISOString();
      return { id: `${takenAt}_${String(i).padStart(2, '0')}`, takenAt };
    });
    const kept = [...snapshotsToKeep(snapshots, now)].sort();
    const lastTen = snapshots.slice(-10).map((s) => s.id);
    const newestPerDay = ['14', '15', '16', '17', '18', '19', '20'].map(
      (day) => snapshots.find((s) => s.takenAt === `2026-03-${day}T03:00:00.000Z`)!.id,
    );
    expect(kept).toEqual([...new Set([...lastTen, ...newestPerDay])].sort());
    expect(kept).toHaveLength(10 + 3); // days 14..16 add one each; 17..20 are among the last ten
  });

  it('prunes the snapshot folder by that rule each time one is taken', async () => {
    let clock = new Date('2026-03-01T00:30:00.000Z');
    core = await openTestCore({ now: () => clock });
    await core.call.entities.create({ type: 'series', fields: { name: 'Walks' } });
    // Two a day for 14 days.
    for (let i = 0; i < 28; i++) {
      clock = new Date(Date.UTC(2026, 2, 1 + Math.floor(i / 2), 1 + (i % 2) * 12));
      await core.context.services.snapshots.take('scheduled');
    }
    const listed = await core.call.backup.snapshots();
    // Newest ten: days 10..14; plus the newest of days 8 and 9 (the week is days 8..14).
    expect(listed.map((s) => s.takenAt)).toEqual([
      ...[14, 13, 12, 11, 10].flatMap((day) => [`2026-03-${day}T13:00:00.000Z`, `2026-03-${day}T01:00:00.000Z`]),
      '2026-03-09T13:00:00.000Z',
      '2026-03-08T13:00:00.000Z',
    ]);
    expect(listed[0]).toMatchObject({ reason: 'scheduled', entries: 1 });
    expect((await readdir(join(core.dataDir, 'snapshots'))).sort()).toEqual(listed.map((s) => `${s.id}.json`).sort());
  });
});
