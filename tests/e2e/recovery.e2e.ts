import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBrowserHost } from '../../main/browser-host';
import { openCore } from '../../main/core';
import { profileDatabaseFiles } from '../../main/recovery/profile-files';
import { damageLeafPage, damageTablePage, growPastTheOpenCheck } from '../core/fixtures/damage';
import { expect, openLibrary, RENDERER_DIR, snap, test } from './fixtures';

const ACTOR = { id: 'e2e:Alex Admin', name: 'Alex Admin', role: 'admin' as const };
const ENTRIES = 150;

test('a damaged profile opens the recovery screen; restoring a snapshot brings the library back', async ({ page }) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'curio-e2e-recovery-'));
  const first = await openCore({ dataDir, actor: ACTOR });
  const caller = first.createCaller();
  const description = 'A walk along the river, recorded on a grey morning. '.repeat(12);
  for (let i = 0; i < ENTRIES; i++)
    await caller.entities.create({ type: 'series', fields: { name: `Walk ${i}`, description } });
  await first.context.services.snapshots.take('scheduled');
  await first.close();
  damageTablePage((await profileDatabaseFiles(dataDir)).catalog, 'series');

  const core = await openCore({ dataDir, actor: ACTOR });
  const host = await startBrowserHost({ core, port: 0, rendererDir: RENDERER_DIR });
  try {
    await page.goto(host.url);
    await expect(page.getByRole('heading', { name: 'This profile needs recovery' })).toBeVisible();
    await snap(page, 'recovery-screen');

    await page.getByRole('button', { name: 'Export readable entries' }).click();
    await expect(page.getByText(/rows could not be read and were skipped/)).toBeVisible();

    await page.getByRole('button', { name: /^Restore the snapshot of/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Restore this snapshot?' });
    await expect(dialog).toContainText('moved aside (not deleted)');
    await dialog.getByRole('button', { name: 'Restore snapshot' }).click();

    await openLibrary(page, 'Series');
    await expect(page.getByText('Walk 0', { exact: true })).toBeVisible();
    expect(await core.createCaller().entities.counts()).toMatchObject({ series: { live: ENTRIES, trash: 0 } });
  } finally {
    await host.close();
    await core.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('damage the check at open cannot see: the profile opens, the background check shows a notice that leads to the recovery screen', async ({
  page,
}) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'curio-e2e-recovery-'));
  const first = await openCore({ dataDir, actor: ACTOR });
  await first.createCaller().entities.create({ type: 'series', fields: { name: 'Walk 0' } });
  await first.close();
  const { catalog } = await profileDatabaseFiles(dataDir);
  damageLeafPage(catalog, growPastTheOpenCheck(catalog));

  const core = await openCore({ dataDir, actor: ACTOR });
  const host = await startBrowserHost({ core, port: 0, rendererDir: RENDERER_DIR });
  try {
    await page.goto(host.url);
    await openLibrary(page, 'Series');
    await expect(page.getByText('Walk 0', { exact: true })).toBeVisible();
    const notice = page.getByRole('alert', { name: 'Database damage' });
    await expect(notice).toContainText('The database check found damage: open the recovery tools', { timeout: 60_000 });
    await snap(page, 'background-check-damage-notice');
    await notice.getByRole('button', { name: 'Open the recovery tools' }).click();
    await expect(page.getByRole('heading', { name: 'This profile needs recovery' })).toBeVisible();
  } finally {
    await host.close();
    await core.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});
