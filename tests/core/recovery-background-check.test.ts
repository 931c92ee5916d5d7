import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { profileDatabaseFiles } from '../../main/recovery/profile-files';
import { QUICK_CHECK_AT_OPEN_MAX_BYTES } from '../../main/storage/integrity';
import { appErrorOf, openTestCore, type TestCore } from './helpers';
import { damageLeafPage, growPastTheOpenCheck } from './fixtures/damage';

let core: TestCore | undefined;
afterEach(async () => {
  await core?.dispose();
  core = undefined;
});

/** The last check once it is no longer running, as the renderer reads it. */
async function finishedCheck(opened: TestCore) {
  return vi.waitFor(
    async () => {
      const last = await opened.call.recovery.lastCheck();
      if (last.running || !last.report) throw new Error('The background check is still running.');
      return last.report;
    },
    { timeout: 60_000, interval: 200 },
  );
}

/** A catalog too big for quick_check at open, so the check runs in the background. */
function grown(filePath: string, key: Buffer | null = null): string {
  const index = growPastTheOpenCheck(filePath, key);
  expect(statSync(filePath).size).toBeGreaterThan(QUICK_CHECK_AT_OPEN_MAX_BYTES);
  return index;
}

describe('the database check of a big profile, in the background after it opened', () => {
  it('damage the check at open cannot see opens the profile; the background check reports it and leads to recovery', async () => {
    const first = await openTestCore();
    await first.call.entities.create({ type: 'series', fields: { name: 'Walk' } });
    await first.close();
    const { catalog } = await profileDatabaseFiles(first.dataDir);
    damageLeafPage(catalog, grown(catalog));

    core = await openTestCore({ dataDir: first.dataDir });
    expect(await core.call.recovery.status()).toEqual({ damaged: false, report: null });
    expect((await core.call.entities.list({ type: 'series' })).items).toHaveLength(1);
    const report = await finishedCheck(core);
    expect(report).toMatchObject({ ok: false, depth: 'quick' });
    expect(report.problems.join(' ')).toMatch(/SQLite/);

    // The notice's action: the core switches to recovery with what the check found.
    await core.call.recovery.openRecoveryTools();
    expect(await core.call.recovery.status()).toMatchObject({ damaged: true, report: { problems: report.problems } });
    expect(await appErrorOf(core.call.entities.list({ type: 'series' }))).toMatchObject({ appCode: 'BAD_FILE' });

    // Closed without acting on it: the next open checks the whole file first and opens in recovery.
    await core.close();
    core = await openTestCore({ dataDir: first.dataDir });
    expect((await core.call.recovery.status()).damaged).toBe(true);
  });

  it('a healthy big profile passes the background check, and the result shows in Settings', async () => {
    const first = await openTestCore();
    await first.close();
    grown((await profileDatabaseFiles(first.dataDir)).catalog);
    core = await openTestCore({ dataDir: first.dataDir });
    expect(await finishedCheck(core)).toMatchObject({ ok: true, depth: 'quick', problems: [] });
    expect(await appErrorOf(core.call.recovery.openRecoveryTools())).toMatchObject({ appCode: 'CONFLICT' });
  });

  it('the worker reads an encrypted profile with its key', async () => {
    const encryption = { key: randomBytes(32) };
    const first = await openTestCore({ encryption });
    await first.close();
    grown((await profileDatabaseFiles(first.dataDir)).catalog, encryption.key);
    core = await openTestCore({ dataDir: first.dataDir, encryption });
    const report = await finishedCheck(core);
    expect(report).toMatchObject({ ok: true, depth: 'quick', problems: [] });
    expect(report.keyMissing).toBeUndefined();
  });
});
