/**
 * Issue 16 (local save): saves copy the WAL back into the file every SAVE_CHECKPOINT_PAGES pages, so the
 * WAL starts over and later saves overwrite its frames, instead of appending to a file that grew by every
 * save until the automatic checkpoint at 160 MB (an fsync after an append also journals the new size).
 */
import { statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { SqliteInternals } from '../../main/storage';
import { openTestCore, type TestCore } from './helpers';

const opened: TestCore[] = [];
afterEach(async () => {
  for (const core of opened.splice(0)) await core.dispose();
});

function fileOf(core: TestCore) {
  return (core.context.database.entities.video.storageInstance.internals as SqliteInternals).file;
}

const walBytes = (core: TestCore) => statSync(`${fileOf(core).path}-wal`).size;

describe('the WAL of saves', () => {
  it('starts over after about 1,000 pages of saves; every save and its audit entry are there after reopening', async () => {
    const core = await openTestCore();
    opened.push(core);
    fileOf(core).writer.pragma('wal_checkpoint(TRUNCATE)');
    const save = (i: number) => core.call.entities.create({ type: 'video', fields: { title: `Video ${i}` } });
    for (let i = 0; i < 20; i++) await save(i);
    const perSave = walBytes(core) / 20;
    for (let i = 20; i < 400; i++) await save(i);

    // Appended, 400 saves would hold 400 saves' frames; started over, the WAL holds about 1,000 pages
    // (~50 video saves) at most.
    expect(walBytes(core)).toBeLessThan(perSave * 100);

    opened.splice(0);
    await core.close();
    const reopened = await openTestCore({ dataDir: core.dataDir });
    opened.push(reopened);
    const videos = await reopened.call.entities.list({ type: 'video', limit: 500 });
    expect(videos.items).toHaveLength(400);
    expect(await reopened.call.audit.count({ action: 'create', entityType: 'video' })).toBe(400);
    const check = fileOf(reopened).connection.pragma('integrity_check', { simple: true });
    expect(check).toBe('ok');
  }, 60_000);
});
