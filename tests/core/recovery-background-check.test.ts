import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { profileDatabaseFiles } from '../../main/recovery/profile-files';
import { openConnection, type DatabaseKey } from '../../main/storage/encryption';
import { QUICK_CHECK_AT_OPEN_MAX_BYTES } from '../../main/storage/integrity';
import { appErrorOf, openTestCore, type TestCore } from './helpers';
import { damageLeafPage } from './fixtures/damage';

let core: TestCore | undefined;
afterEach(async () => {
  await core?.dispose();
  core = undefined;
});

/**
 * Makes the catalog file too big for quick_check at open: a table with an index of 100,000 rows beside
 * the collections, as a big catalog's own indexes would be. Returns the index's name.
 */
function growPastTheOpenCheck(filePath: string, key: DatabaseKey = null): string {
  const db = key ? openConnection(filePath, key) : new Database(filePath);
  try {
    db.exec(`CREATE TABLE padding (n INTEGER PRIMARY KEY, tag TEXT NOT NULL);
      CREATE INDEX padding_by_tag ON padding (tag);
      INSERT INTO padding (tag)
        WITH RECURSIVE count(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM count WHERE i < 100000)
        SELECT printf('%08d-%s', i, hex(randomblob(24))) FROM count;`);
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
  expect(statSync(filePath).size).toBeGreaterThan(QUICK_CHECK_AT_OPEN_MAX_BYTES);
  return 'padding_by_tag';
}

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

describe('the database check of a big profile, in the background after it opened', () => {
  it('damage the check at open cannot see opens the profile; the background check reports it and leads to recovery', async () => {
    const first = await openTestCore();
    await first.call.entities.create({ type: 'series', fields: { name: 'Walk' } });
    await first.close();
    const { catalog } = await profileDatabaseFiles(first.dataDir);
    damageLeafPage(catalog, growPastTheOpenCheck(catalog));

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
    growPastTheOpenCheck((await profileDatabaseFiles(first.dataDir)).catalog);
    core = await openTestCore({ dataDir: first.dataDir });
    expect(await finishedCheck(core)).toMatchObject({ ok: true, depth: 'quick', problems: [] });
    expect(await appErrorOf(core.call.recovery.openRecoveryTools())).toMatchObject({ appCode: 'CONFLICT' });
  });

  it('the worker reads an encrypted profile with its key', async () => {
    const encryption = { key: randomBytes(32) };
    const first = await openTestCore({ encryption });
    await first.close();
    growPastTheOpenCheck((await profileDatabaseFiles(first.dataDir)).catalog, encryption.key);
    core = await openTestCore({ dataDir: first.dataDir, encryption });
    const report = await finishedCheck(core);
    expect(report).toMatchObject({ ok: true, depth: 'quick', problems: [] });
    expect(report.keyMissing).toBeUndefined();
  });
});
