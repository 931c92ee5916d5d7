import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { ALICE, openTestCore, TestClock, type TestCore } from './helpers';

/*
 * A version here changed after a backup or snapshot was made is newer here, even when the clock of the device
 * that changed it is behind the file's time: a restore in keep-newer mode keeps it and the preview lists it.
 */

const BO = { id: 'user:bo', name: 'Bo Editor' };
const HOUR = 3_600_000;

let core: TestCore;
afterEach(async () => {
  await core.dispose();
});

/** A series renamed by Alice on this device, so the file holds her version. */
async function walksRenamedByAlice() {
  const walk = await core.call.entities.create({ type: 'series', fields: { name: 'Walks' } });
  await core.call.entities.update({
    type: 'series',
    id: walk.id,
    fields: { name: 'Walks in spring' },
    bases: { name: 'Walks' },
  });
  return walk.id;
}

/**
 * Bo's edit as the sync writes it here: his version, stamped by his device's clock, which is an hour behind
 * the time the file was made; this device receives it after the file was made.
 */
async function pullBosEditStampedBefore(id: string, fileMadeAt: string) {
  const document = await core.context.database.entities.series.findOne(id).exec();
  const stamped = new Date(Date.parse(fileMadeAt) - HOUR).toISOString();
  await document!.incrementalPatch({ name: 'Walks by the sea', rev: randomUUID(), updatedAt: stamped, updatedBy: BO });
}

async function backupFile(): Promise<{ path: string; header: Record<string, unknown> }> {
  let path = '';
  for await (const event of await core.call.backup.export()) if (event.type === 'done') path = event.filePath;
  return { path, header: JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown> };
}

async function nameOf(id: string) {
  return ((await core.call.entities.get({ type: 'series', id })) as { name: string }).name;
}

describe('a restore over a version changed since the file, stamped by a clock behind it', () => {
  it('keeps a pulled edit received after the backup, lists it as newer here, and restores what is not', async () => {
    core = await openTestCore();
    const id = await walksRenamedByAlice();
    const untouched = await core.call.entities.create({ type: 'series', fields: { name: 'Trips' } });
    const { path, header } = await backupFile();
    await pullBosEditStampedBefore(id, header.exportedAt as string);
    await core.call.entities.update({
      type: 'series',
      id: untouched.id,
      fields: { name: 'Trips by Alice' },
      bases: { name: 'Trips' },
    });

    const preview = await core.call.backup.previewRestore({ filePath: path });
    expect(preview.counts).toMatchObject({ newerHere: 2, updated: 0, new: 0 });
    expect(preview.entries.newerHere).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          id,
          title: 'Walks in spring',
          hereUpdatedBy: 'Bo Editor',
          hereChangedSinceFile: true,
        }),
      ]),
    );

    const result = await core.call.backup.restore({ filePath: path, mode: 'keep-newer', token: preview.token });
    expect(result.entities).toMatchObject({ keptNewer: 2, updated: 0 });
    expect(await nameOf(id)).toBe('Walks by the sea');
    expect(await nameOf(untouched.id)).toBe('Trips by Alice');
  });

  it("a snapshot of this profile keeps an edit made after it on a device whose clock is behind the snapshot's", async () => {
    const clock = new TestClock('2026-05-01T12:00:00.000Z');
    core = await openTestCore({ now: () => clock.now });
    const id = await walksRenamedByAlice();
    const snapshot = await core.context.services.snapshots.take('scheduled');

    // Bo edits on a device whose clock says an hour before the snapshot.
    clock.advance(-HOUR);
    core.context.setSession({ actor: BO, role: 'editor' });
    await core.call.entities.update({
      type: 'series',
      id,
      fields: { name: 'Walks by the sea' },
      bases: { name: 'Walks in spring' },
    });
    core.context.setSession({ actor: ALICE, role: 'admin' });

    const preview = await core.call.backup.previewRestore({ snapshotId: snapshot.id });
    expect(preview.counts).toMatchObject({ newerHere: 1, updated: 0 });
    expect(preview.entries.newerHere).toMatchObject([{ id, title: 'Walks in spring', hereUpdatedBy: 'Bo Editor' }]);
    await core.call.backup.restore({ snapshotId: snapshot.id, mode: 'keep-newer', token: preview.token });
    expect(await nameOf(id)).toBe('Walks by the sea');
  });

  it("a backup of this device from before files named their store is compared by its time, on this device's clock", async () => {
    core = await openTestCore();
    const id = await walksRenamedByAlice();
    const { path, header } = await backupFile();
    delete header.store;
    delete header.newestWrites;
    await writeFile(path, JSON.stringify(header));
    await pullBosEditStampedBefore(id, header.exportedAt as string);

    const preview = await core.call.backup.previewRestore({ filePath: path });
    expect(preview.counts).toMatchObject({ newerHere: 1, updated: 0 });
    await core.call.backup.restore({ filePath: path, mode: 'keep-newer', token: preview.token });
    expect(await nameOf(id)).toBe('Walks by the sea');
  });

  it("a backup from another device still goes by the versions' times: this device cannot read its clock", async () => {
    core = await openTestCore();
    const id = await walksRenamedByAlice();
    const { path, header } = await backupFile();
    await writeFile(path, JSON.stringify({ ...header, deviceId: 'another-laptop', store: 'another-store' }));
    await pullBosEditStampedBefore(id, header.exportedAt as string);

    const preview = await core.call.backup.previewRestore({ filePath: path });
    expect(preview.counts).toMatchObject({ newerHere: 0, updated: 1 });
    expect(preview.entries.updated).toMatchObject([{ id, hereChangedSinceFile: false }]);
  });
});
