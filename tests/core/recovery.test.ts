import { existsSync, readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { profileDatabaseFiles } from '../../main/recovery/profile-files';
import { appErrorOf, openTestCore, type TestCore } from './helpers';
import { damageTablePage } from './fixtures/damage';

const ENTRIES = 150;
// Long enough that the series table spans many pages, so one damaged page loses only some rows.
const description = 'A walk along the river, recorded on a grey morning. '.repeat(12);

let core: TestCore | undefined;
afterEach(async () => {
  await core?.dispose();
  core = undefined;
});

async function profileWithEntries(): Promise<TestCore> {
  const opened = await openTestCore();
  for (let i = 0; i < ENTRIES; i++)
    await opened.call.entities.create({ type: 'series', fields: { name: `Walk ${i}`, description } });
  return opened;
}

/** Closes the core, damages a page of the series table, opens the profile again. */
async function damaged(opened: TestCore): Promise<TestCore> {
  await opened.close();
  damageTablePage((await profileDatabaseFiles(opened.dataDir)).catalog, 'series');
  return openTestCore({ dataDir: opened.dataDir });
}

describe('recovery of a damaged profile', () => {
  it('the check at open finds nothing on a healthy profile, and the full check from Settings passes', async () => {
    core = await profileWithEntries();
    expect(await core.call.recovery.status()).toEqual({ damaged: false, report: null });
    expect(await core.call.recovery.check()).toMatchObject({ ok: true, depth: 'full', problems: [] });
  });

  it('a profile with a damaged page opens in recovery instead of throwing; other calls say why', async () => {
    core = await damaged(await profileWithEntries());
    const status = await core.call.recovery.status();
    expect(status.damaged).toBe(true);
    expect(status.report?.problems.join(' ')).toMatch(/SQLite/);
    expect(await appErrorOf(core.call.entities.list({ type: 'series' }))).toMatchObject({
      appCode: 'BAD_FILE',
      message: expect.stringMatching(/recovery/),
    });
    expect((await core.call.recovery.check()).ok).toBe(false);
  });

  it('exports everything readable, row by row, and counts the rows it skipped', async () => {
    core = await damaged(await profileWithEntries());
    const result = await core.call.recovery.exportReadable();
    expect(result.skipped).toBeGreaterThan(0);
    const backup = JSON.parse(readFileSync(result.filePath, 'utf8')) as { collections: Record<string, unknown[]> };
    expect(backup.collections.series!.length + result.skipped).toBe(ENTRIES);
    expect(backup.collections.series!.length).toBeGreaterThan(ENTRIES / 2);
    expect(backup.collections.audit).toHaveLength(ENTRIES);
  });

  it('restores an automatic snapshot into a fresh store and keeps the damaged file aside', async () => {
    const opened = await profileWithEntries();
    const snapshot = await opened.context.services.snapshots.take('scheduled');
    core = await damaged(opened);
    expect((await core.call.recovery.snapshots()).map((s) => s.id)).toEqual([snapshot.id]);
    const result = await core.call.recovery.restoreSnapshot({ snapshotId: snapshot.id });
    expect(result.restored).toBe(ENTRIES);
    expect(result.keptAt && existsSync(result.keptAt)).toBe(true);
    expect(await core.call.recovery.status()).toEqual({ damaged: false, report: null });
    const counts = await core.call.entities.counts();
    expect(counts).toMatchObject({ series: { live: ENTRIES, trash: 0 } });
    expect((await readdir(core.dataDir)).some((name) => name.includes('.damaged-'))).toBe(true);
  });

  it('refuses a snapshot that does not exist, with the reason', async () => {
    core = await damaged(await profileWithEntries());
    expect(await appErrorOf(core.call.recovery.restoreSnapshot({ snapshotId: 'nope' }))).toMatchObject({
      appCode: 'NOT_FOUND',
    });
    expect((await core.call.recovery.status()).damaged).toBe(true);
  });

  it('refuses to rebuild a profile that was never connected to a server, moving nothing', async () => {
    core = await damaged(await profileWithEntries());
    expect(await appErrorOf(core.call.recovery.rebuildFromServer())).toMatchObject({
      appCode: 'VALIDATION',
      message: expect.stringMatching(/not connected to a sync server/),
    });
    expect((await readdir(core.dataDir)).some((name) => name.includes('.damaged-'))).toBe(false);
  });
});
