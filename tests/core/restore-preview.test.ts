import { readFile, writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EntityDocument } from '../../shared/entities';
import { appErrorOf, openTestCore, type TestCore } from './helpers';

let core: TestCore;
let clock: Date;
const tick = () => (clock = new Date(clock.getTime() + 60_000));
beforeEach(async () => {
  clock = new Date('2026-03-01T12:00:00.000Z');
  core = await openTestCore({ now: () => tick() });
});
afterEach(async () => {
  await core.dispose();
});

type Backup = { collections: Record<string, Record<string, unknown>[]> };

async function series(name: string) {
  return (await core.call.entities.create({ type: 'series', fields: { name } })) as EntityDocument<'series'>;
}
async function names(): Promise<Record<string, string>> {
  const all = await core.context.database.entities.series.find().exec();
  return Object.fromEntries(
    all.map((doc) => [doc.get('id') as string, `${doc.get('name')}${doc.get('deletedAt') ? ' (trash)' : ''}`]),
  );
}

/**
 * A backup of A, B, C, D, then changes here: B renamed (newer here), C deleted for good (new from the
 * file), E created (absent from the file); in the file D is renamed later than here (updated).
 */
async function scenario() {
  const [a, b, c, d] = [await series('A'), await series('B'), await series('C'), await series('D')];
  let path = '';
  for await (const event of await core.call.backup.export()) if (event.type === 'done') path = event.filePath;
  await core.call.entities.update({ type: 'series', id: b.id, rev: b.rev, fields: { name: 'B renamed here' } });
  await core.call.trash.trash({ items: [{ type: 'series', id: c.id }] });
  await core.call.trash.deletePermanently({ items: [{ type: 'series', id: c.id }], confirm: true });
  const e = await series('E');
  const file = JSON.parse(await readFile(path, 'utf8')) as Backup;
  const fileD = file.collections.series!.find((doc) => doc.id === d.id)!;
  Object.assign(fileD, {
    name: 'D renamed in the file',
    updatedAt: new Date(clock.getTime() + 86_400_000).toISOString(),
  });
  await writeFile(path, JSON.stringify(file));
  return { a, b, c, d, e, source: { filePath: path } };
}

describe('restore preview', () => {
  it('sorts every entry into new, updated, unchanged, newer here and absent from the file', async () => {
    const { a, b, c, d, e, source } = await scenario();
    const before = await names();
    const preview = await core.call.backup.previewRestore(source);
    expect(preview.counts).toEqual({ new: 1, updated: 1, unchanged: 1, newerHere: 1, absent: 1 });
    expect(preview.entries.new).toMatchObject([{ id: c.id, title: 'C', hereUpdatedAt: null }]);
    expect(preview.entries.updated).toMatchObject([{ id: d.id, title: 'D renamed in the file' }]);
    expect(preview.entries.newerHere).toMatchObject([{ id: b.id, title: 'B' }]);
    expect(preview.entries.absent).toMatchObject([{ id: e.id, title: 'E', fileUpdatedAt: null }]);
    expect(preview.audit.new).toBe(0);
    void a;
    // Previewing writes nothing.
    expect(await names()).toEqual(before);
  });

  it('by default never replaces a version newer than the file and leaves entries absent from it alone', async () => {
    const { a, b, c, d, e, source } = await scenario();
    const { token } = await core.call.backup.previewRestore(source);
    const result = await core.call.backup.restore({ ...source, token });
    expect(result.entities).toEqual({ inserted: 1, updated: 1, unchanged: 1, keptNewer: 1, trashed: 0 });
    expect(await names()).toEqual({
      [a.id]: 'A',
      [b.id]: 'B renamed here',
      [c.id]: 'C',
      [d.id]: 'D renamed in the file',
      [e.id]: 'E',
    });
  });

  it('"exactly the backup" replaces newer versions and moves entries absent from the file to the trash, audited', async () => {
    const { a, b, c, d, e, source } = await scenario();
    const { token } = await core.call.backup.previewRestore(source);
    const result = await core.call.backup.restore({ ...source, token, mode: 'exact' });
    expect(result.entities).toEqual({ inserted: 1, updated: 2, unchanged: 1, keptNewer: 0, trashed: 1 });
    expect(await names()).toEqual({
      [a.id]: 'A',
      [b.id]: 'B',
      [c.id]: 'C',
      [d.id]: 'D renamed in the file',
      [e.id]: 'E (trash)',
    });
    const trashed = await core.call.audit.query({ entityId: e.id, action: 'trash' });
    expect(trashed.items).toHaveLength(1);
    // In the trash, not gone: it can be restored.
    await core.call.trash.restore({ items: [{ type: 'series', id: e.id }] });
    expect((await names())[e.id]).toBe('E');
  });

  it('refuses a stale preview and changes nothing', async () => {
    const { a, c, source } = await scenario();
    const { token } = await core.call.backup.previewRestore(source);
    await core.call.entities.update({ type: 'series', id: a.id, rev: a.rev, fields: { name: 'A renamed meanwhile' } });
    const before = await names();
    const stale = await appErrorOf(core.call.backup.restore({ ...source, token }));
    expect(stale).toMatchObject({ appCode: 'CONFLICT', message: expect.stringContaining('changed since the preview') });
    expect(await names()).toEqual(before);
    expect(before[c.id]).toBeUndefined();
    expect(await core.call.backup.snapshots()).toEqual([]);
  });

  it('takes a safety snapshot first; restoring the snapshot brings back the state before the restore', async () => {
    const { source } = await scenario();
    const before = await names();
    const { token } = await core.call.backup.previewRestore(source);
    const result = await core.call.backup.restore({ ...source, token, mode: 'exact' });
    const snapshots = await core.call.backup.snapshots();
    expect(snapshots).toEqual([result.snapshot]);
    expect(result.snapshot).toMatchObject({ reason: 'before-restore', entries: 4 });
    expect(await names()).not.toEqual(before);

    const undo = await core.call.backup.previewRestore({ snapshotId: result.snapshot.id });
    await core.call.backup.restore({ snapshotId: result.snapshot.id, token: undo.token, mode: 'exact' });
    const now = await names();
    // C came from the file: it was not in the profile before, so undoing the restore trashes it.
    const restoredC = Object.entries(now).find(([id]) => !(id in before));
    expect(restoredC?.[1]).toBe('C (trash)');
    expect(Object.fromEntries(Object.entries(now).filter(([id]) => id in before))).toEqual(before);
    expect((await core.call.backup.snapshots()).map((s) => s.reason)).toEqual(['before-restore', 'before-restore']);
  });

  it('refuses snapshot ids that are not snapshots (no paths from callers)', async () => {
    const error = await appErrorOf(core.call.backup.previewRestore({ snapshotId: '../../etc/passwd' }));
    expect(error.appCode).toBe('NOT_FOUND');
  });
});

describe('import', () => {
  it('adds new entries only, never replacing one here, after a safety snapshot', async () => {
    const a = await series('A');
    const row = { ...a, name: 'A from a file', updatedAt: '2099-01-01T00:00:00.000Z' };
    // A row with the id of an entry here is that entry: refused by name, neither replaced nor copied.
    const refused = await appErrorOf(
      core.call.backup.importEntities({ type: 'series', format: 'json', content: JSON.stringify([row]) }),
    );
    expect(refused.message).toContain('This row is the series "A", already here');
    expect(Object.values(await names())).toEqual(['A']);
    const { id: _id, ...asNew } = row;
    const content = JSON.stringify([asNew]);
    const result = await core.call.backup.importEntities({ type: 'series', format: 'json', content });
    expect(result).toMatchObject({ imported: 1, snapshot: { reason: 'before-import', entries: 1 } });
    expect(Object.values(await names()).sort()).toEqual(['A', 'A from a file']);
  });
});
