/**
 * Issue 14: the copy taken before RxDB migrates a profile at open is a snapshot like any other: listed
 * with its reason and entry count, kept by the retention rule, restored through the same preview and
 * restore (the catalog becomes exactly the profile before the update), plain or encrypted.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { profileDatabaseFiles } from '../../main/recovery/profile-files';
import { KEEP_BEFORE_MIGRATION, KEEP_LAST, snapshotsToKeep } from '../../main/services/snapshots';
import { previousReleaseProfile } from './fixtures/previous-release';
import { titleOf } from '../../shared/entities/registry';
import { openTestCore, type TestCore } from './helpers';

let core: TestCore | undefined;
afterEach(async () => {
  await core?.dispose();
  core = undefined;
});

for (const encrypted of [false, true]) {
  it(`lists the snapshot taken before a migration and restores the profile as it was${encrypted ? ' (encrypted)' : ''}`, async () => {
    const key = encrypted ? randomBytes(32) : null;
    const dataDir = await previousReleaseProfile(key);
    core = await openTestCore({ dataDir, ...(key ? { encryption: { key } } : {}) });
    const [rex] = (await core.call.entities.list({ type: 'dog' })).items;
    expect(rex).toMatchObject({ name: 'Rex' });
    // After the update: Rex renamed, a new dog.
    await core.call.entities.update({ type: 'dog', id: rex!.id, rev: rex!.rev, fields: { name: 'Max' } });
    await core.call.entities.create({ type: 'dog', fields: { name: 'Bolt' } });

    const listed = await core.call.backup.snapshots();
    expect(listed).toHaveLength(1);
    const [before] = listed;
    expect(before).toMatchObject({ reason: 'before-migration', entries: 1 });
    expect(before!.sizeBytes).toBeGreaterThan(0);

    const preview = await core.call.backup.previewRestore({ snapshotId: before!.id });
    expect(preview.counts).toMatchObject({ new: 0, newerHere: 1, absent: 1 });
    expect(preview.entries.newerHere.map((entry) => entry.title)).toEqual(['Rex']);
    const result = await core.call.backup.restore({ snapshotId: before!.id, token: preview.token, mode: 'exact' });
    expect(result.entities).toMatchObject({ updated: 1, trashed: 1 });

    const live = (await core.call.entities.list({ type: 'dog' })).items.map((dog) => titleOf('dog', dog));
    expect(live).toEqual(['Rex']);
    expect(await core.call.entities.counts()).toMatchObject({ dog: { live: 1, trash: 1 } });
    // The restore's own snapshot joins the list; the one before the migration stays.
    expect((await core.call.backup.snapshots()).map((s) => s.reason)).toEqual(['before-restore', 'before-migration']);
  });
}

it('an id that names no snapshot file is refused with NOT_FOUND', async () => {
  core = await openTestCore();
  const id = '2026-03-01T00-00-00-000Z_before-migration_00000000-0000-7000-8000-000000000000';
  await expect(core.call.backup.previewRestore({ snapshotId: id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  await expect(core.call.backup.previewRestore({ snapshotId: '../../etc/passwd' })).rejects.toMatchObject({
    code: 'NOT_FOUND',
  });
});

it(`keeps the newest ${KEEP_BEFORE_MIGRATION} snapshots before a migration whatever their age`, () => {
  const now = new Date('2026-06-30T12:00:00.000Z');
  const id = (day: string, reason: string, n: number) =>
    `2026-${day}T01-00-00-000Z_${reason}_00000000-0000-7000-8000-${String(n).padStart(12, '0')}`;
  const takenAt = (snapshotId: string) =>
    snapshotId.slice(0, 24).replace(/T(\d\d)-(\d\d)-(\d\d)-(\d{3})Z$/, 'T$1:$2:$3.$4Z');
  const migrations = ['01-10', '02-10', '03-10'].map((day, n) => id(day, 'before-migration', n));
  // A scheduled one on each of the last 20 days: the general rule alone keeps none of the migrations.
  const daily = Array.from({ length: 20 }, (_, n) => id(`06-${String(n + 11).padStart(2, '0')}`, 'scheduled', n));
  const all = [...migrations, ...daily].map((snapshotId) => ({ id: snapshotId, takenAt: takenAt(snapshotId) }));
  const kept = snapshotsToKeep(all, now);
  expect(kept.size).toBe(KEEP_LAST + KEEP_BEFORE_MIGRATION);
  expect(migrations.filter((m) => kept.has(m))).toEqual(migrations.slice(-KEEP_BEFORE_MIGRATION));
});

it('the copy before a migration is the only file in snapshots/ after the open, under its own name', async () => {
  const dataDir = await previousReleaseProfile(null);
  core = await openTestCore({ dataDir });
  const [listed] = await core.call.backup.snapshots();
  expect(await readdir(join(dataDir, 'snapshots'))).toEqual([`${listed!.id}.curio.sqlite`]);
});

it('the recovery screen restores the snapshot taken before a migration into a fresh store', async () => {
  const key = randomBytes(32);
  const dataDir = await previousReleaseProfile(key);
  const encryption = { key };
  core = await openTestCore({ dataDir, encryption });
  await core.call.entities.create({ type: 'dog', fields: { name: 'Bolt' } });
  await core.close();
  // The catalog's first page overwritten: the next open is in recovery.
  const { catalog } = await profileDatabaseFiles(dataDir);
  const file = openSync(catalog, 'r+');
  writeSync(file, Buffer.alloc(4096, 0xa5), 0, 4096, 0);
  closeSync(file);

  core = await openTestCore({ dataDir, encryption });
  expect((await core.call.recovery.status()).damaged).toBe(true);
  const [before] = await core.call.recovery.snapshots();
  expect(before).toMatchObject({ reason: 'before-migration', entries: 1 });
  expect(await core.call.recovery.restoreSnapshot({ snapshotId: before!.id })).toMatchObject({ restored: 1 });
  expect((await core.call.entities.list({ type: 'dog' })).items.map((dog) => titleOf('dog', dog))).toEqual(['Rex']);
});
