/**
 * Issue 14: the copy taken before an update migrated the profile is in Settings' snapshot list with its
 * reason, and restoring it asks first (the preview), then makes the catalog exactly the profile as it was.
 */
import { rm } from 'node:fs/promises';
import { startBrowserHost } from '../../main/browser-host';
import { openCore } from '../../main/core';
import { titleOf } from '../../shared/entities/registry';
import { previousReleaseProfile } from '../core/fixtures/previous-release';
import { expect, openScreen, RENDERER_DIR, snap, test } from './fixtures';

const ACTOR = { id: 'e2e:Alex Admin', name: 'Alex Admin', role: 'admin' as const };

test('Settings lists the snapshot taken before an update and restores it after asking', async ({ page }) => {
  const dataDir = await previousReleaseProfile(null);
  const core = await openCore({ dataDir, actor: ACTOR });
  const caller = core.createCaller();
  const dogNames = async () => {
    const live = (await caller.entities.list({ type: 'dog' })).items.map((dog) => titleOf('dog', dog));
    const trashed = (await caller.trash.list({ type: 'dog' })).items.map(
      (item) => `${titleOf('dog', item.document)} (trash)`,
    );
    return [...live, ...trashed].sort();
  };
  // After the update: Rex renamed, a new dog.
  const [rex] = (await caller.entities.list({ type: 'dog' })).items;
  await caller.entities.update({ type: 'dog', id: rex!.id, rev: rex!.rev, fields: { name: 'Max' } });
  await caller.entities.create({ type: 'dog', fields: { name: 'Bolt' } });
  const host = await startBrowserHost({ core, port: 0, rendererDir: RENDERER_DIR });
  try {
    await page.goto(host.url);
    await openScreen(page, 'Settings');
    const snapshots = page.getByRole('table', { name: 'Safety snapshots' });
    await expect(snapshots.getByRole('row')).toHaveCount(2);
    await expect(snapshots.getByRole('row').nth(1)).toContainText('Before an update of the data format');
    await snap(page, 'migration-snapshot-listed');

    await snapshots.getByRole('button', { name: /^Restore the snapshot of/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Restore this snapshot?' });
    const summary = dialog.getByRole('list', { name: 'Restore summary' });
    await expect(summary).toContainText('1 present here but not in the file: moved to the trash');
    await snap(page, 'migration-snapshot-preview');
    // Asking changed nothing.
    expect(await dogNames()).toEqual(['Bolt', 'Max']);

    await dialog.getByRole('button', { name: 'Restore snapshot' }).click();
    await expect(dialog.getByRole('status')).toContainText('The catalog is back to the snapshot');
    expect(await dogNames()).toEqual(['Bolt (trash)', 'Rex']);
    await dialog.getByRole('button', { name: 'Close' }).click();
    // The state just before the restore is a snapshot of its own, above the one before the update.
    await expect(snapshots.getByRole('row')).toHaveCount(3);
    await expect(snapshots.getByRole('row').nth(1)).toContainText('Before a restore');
  } finally {
    await host.close();
    await core.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});
