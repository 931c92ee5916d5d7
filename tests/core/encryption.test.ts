import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadDatabaseKey, NO_KEYRING_REASON } from '../../main/electron/database-key';
import { profileDatabaseFiles } from '../../main/recovery/profile-files';
import { isPlainDatabaseFile, openConnection } from '../../main/storage';
import { fakeKeyring } from '../electron/fake-keyring';
import { appErrorOf, openTestCore, type TestCore } from './helpers';

/** A title that must never be found in the profile's files in plain bytes once it is encrypted. */
const TITLE = 'Zanzibar lighthouse at dawn';

let core: TestCore | undefined;
afterEach(async () => {
  await core?.dispose();
  core = undefined;
});

const keyOf = () => ({ key: randomBytes(32) });

/** Every file of the profile's folder (databases, WAL, snapshots) that holds `text` in plain bytes. */
function filesContaining(dataDir: string, text: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dataDir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    if (readFileSync(path).includes(text)) found.push(path);
  }
  return found;
}

describe('encryption at rest', () => {
  it("an encrypted profile's files hold no title in plain bytes, are unreadable without the key, and reopen with it", async () => {
    const encryption = keyOf();
    core = await openTestCore({ encryption });
    const created = await core.call.entities.create({ type: 'series', fields: { name: TITLE } });
    await core.close();
    const { catalog } = await profileDatabaseFiles(core.dataDir);
    expect(isPlainDatabaseFile(catalog)).toBe(false);
    expect(filesContaining(core.dataDir, TITLE)).toEqual([]);
    expect(() => openConnection(catalog, null, { readonly: true })).toThrow(
      expect.objectContaining({ problem: 'KEY_MISSING' }),
    );

    core = await openTestCore({ dataDir: core.dataDir, encryption });
    expect(await core.call.entities.get({ type: 'series', id: created.id })).toMatchObject({ name: TITLE });
    expect(await core.call.recovery.encryption()).toEqual({ encrypted: true, notice: null });
  });

  it('a snapshot is sealed with the same key and restores', async () => {
    core = await openTestCore({ encryption: keyOf() });
    const created = await core.call.entities.create({ type: 'series', fields: { name: TITLE } });
    const snapshot = await core.context.services.snapshots.take('scheduled');
    expect(filesContaining(core.dataDir, TITLE)).toEqual([]);
    expect(snapshot.entries).toBe(1);
    await core.call.entities.update({ type: 'series', id: created.id, rev: created.rev, fields: { name: 'Renamed' } });
    const { token } = await core.call.backup.previewRestore({ snapshotId: snapshot.id });
    await core.call.backup.restore({ snapshotId: snapshot.id, token, mode: 'exact' });
    expect(await core.call.entities.get({ type: 'series', id: created.id })).toMatchObject({ name: TITLE });
  });

  it('converts an existing unencrypted profile once, keeping every document, and its plain snapshot still restores', async () => {
    const ENTRIES = 40;
    core = await openTestCore();
    for (let i = 0; i < ENTRIES; i++)
      await core.call.entities.create({ type: 'series', fields: { name: `${TITLE} ${i}` } });
    const plainSnapshot = await core.context.services.snapshots.take('scheduled');
    await core.close();
    const files = await profileDatabaseFiles(core.dataDir);
    expect(isPlainDatabaseFile(files.catalog)).toBe(true);

    core = await openTestCore({ dataDir: core.dataDir, encryption: keyOf() });
    expect(isPlainDatabaseFile(files.catalog)).toBe(false);
    expect(isPlainDatabaseFile(files.local)).toBe(false);
    expect(readdirSync(core.dataDir).filter((name) => name.endsWith('.encrypting'))).toEqual([]);
    expect(await core.call.entities.counts()).toMatchObject({ series: { live: ENTRIES, trash: 0 } });
    expect(filesContaining(core.dataDir, TITLE)).toEqual([join(core.dataDir, 'snapshots', `${plainSnapshot.id}.json`)]);

    const { token } = await core.call.backup.previewRestore({ snapshotId: plainSnapshot.id });
    await core.call.backup.restore({ snapshotId: plainSnapshot.id, token });
    expect(await core.call.entities.counts()).toMatchObject({ series: { live: ENTRIES, trash: 0 } });
  });

  it('a conversion cut short (kill -9 before the rename) leaves the plain file whole; the next open converts it', async () => {
    core = await openTestCore();
    await core.call.entities.create({ type: 'series', fields: { name: TITLE } });
    await core.close();
    const { catalog } = await profileDatabaseFiles(core.dataDir);
    // What a kill during the copy leaves: a half-written copy beside the untouched plain file.
    writeFileSync(`${catalog}.encrypting`, randomBytes(5000));
    core = await openTestCore({ dataDir: core.dataDir, encryption: keyOf() });
    expect(isPlainDatabaseFile(catalog)).toBe(false);
    expect(existsSync(`${catalog}.encrypting`)).toBe(false);
    expect(await core.call.entities.counts()).toMatchObject({ series: { live: 1, trash: 0 } });
  });

  it('a wrong key opens the profile in recovery, saying the key is missing (not that the file is damaged)', async () => {
    core = await openTestCore({ encryption: keyOf() });
    await core.call.entities.create({ type: 'series', fields: { name: TITLE } });
    await core.close();
    core = await openTestCore({ dataDir: core.dataDir, encryption: keyOf() });
    const status = await core.call.recovery.status();
    expect(status).toMatchObject({ damaged: true, report: { keyMissing: true } });
    expect(status.report?.problems.join(' ')).toMatch(/encrypted with another key/);
    expect(await appErrorOf(core.call.entities.list({ type: 'series' }))).toMatchObject({
      appCode: 'BAD_FILE',
      message: expect.stringMatching(/key is missing/),
    });
  });

  it('an encrypted profile opened without any key is in recovery with the key message', async () => {
    core = await openTestCore({ encryption: keyOf() });
    await core.call.entities.create({ type: 'series', fields: { name: TITLE } });
    await core.close();
    core = await openTestCore({ dataDir: core.dataDir });
    const status = await core.call.recovery.status();
    expect(status).toMatchObject({ damaged: true, report: { keyMissing: true } });
    expect(status.report?.problems.join(' ')).toMatch(/its key is missing/);
  });
});

const keyring = fakeKeyring;

describe('the key in the OS keyring', () => {
  it('is made once, kept encrypted by the keyring, and the same at the next start', async () => {
    core = await openTestCore();
    await core.close();
    const file = join(core.dataDir, 'database-key.json');
    const os = keyring(true);
    const first = await loadDatabaseKey({ file, encryption: os });
    const second = await loadDatabaseKey({ file, encryption: os });
    expect(first.key).toHaveLength(32);
    expect(second.key?.equals(first.key!)).toBe(true);
    expect(readFileSync(file, 'utf8')).not.toContain(first.key!.toString('hex'));
  });

  it('without a keyring the profile stays unencrypted and Settings says why', async () => {
    const probe = await openTestCore();
    await probe.close();
    const encryption = await loadDatabaseKey({
      file: join(probe.dataDir, 'database-key.json'),
      encryption: keyring(false),
    });
    expect(encryption).toEqual({ key: null, reason: NO_KEYRING_REASON });
    core = await openTestCore({ dataDir: probe.dataDir, encryption });
    await core.call.entities.create({ type: 'series', fields: { name: TITLE } });
    expect(await core.call.recovery.encryption()).toEqual({ encrypted: false, notice: NO_KEYRING_REASON });
    expect(isPlainDatabaseFile((await profileDatabaseFiles(core.dataDir)).catalog)).toBe(true);
  });
});
