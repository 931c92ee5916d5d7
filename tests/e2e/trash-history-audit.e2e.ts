import { readFile } from 'node:fs/promises';
import { expect, openAudit, openLibrary, snap, test } from './fixtures';

test('trash, restore, and permanent delete that shows and removes references', async ({ page, app }) => {
  const person = await app.caller.entities.create({ type: 'person', fields: { name: 'Quentin Ref' } });
  const video = await app.caller.entities.create({
    type: 'video',
    fields: { title: 'Walk with Q', people: [person.id] },
  });
  await page.goto(app.url);
  await openLibrary(page, 'People');

  // Bulk trash from the list, then undo.
  await page.getByRole('checkbox', { name: 'Select Quentin Ref' }).check();
  await page.getByRole('button', { name: 'Move selected to trash' }).click();
  // The video links to Quentin: the move asks once (SAFETY-5).
  const linked = page.getByRole('dialog', { name: /Other entries link to “Quentin Ref”/ });
  await linked.getByRole('button', { name: 'Move to trash' }).click();
  await expect(page.getByRole('grid', { name: 'People' })).not.toContainText('Quentin Ref');
  await page.getByRole('button', { name: 'Undo (restore)' }).click();
  await page
    .getByRole('dialog', { name: 'Restore “Quentin Ref” from the trash?' })
    .getByRole('button', { name: 'Restore', exact: true })
    .click();
  await expect(page.getByRole('grid', { name: 'People' })).toContainText('Quentin Ref');

  // Trash from the editor, then restore from the trash screen.
  await page.getByRole('row', { name: /Quentin Ref/ }).click();
  await page.getByRole('button', { name: 'Move to trash' }).click();
  await linked.getByRole('button', { name: 'Move to trash' }).click();
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: /^Trash/ })
    .click();
  const trash = page.getByRole('table', { name: 'Entries in the trash' });
  await expect(trash).toContainText('Quentin Ref');
  await snap(page, 'trash');
  await page.getByRole('button', { name: 'Restore Quentin Ref' }).click();
  await page
    .getByRole('dialog', { name: 'Restore “Quentin Ref” from the trash?' })
    .getByRole('button', { name: 'Restore', exact: true })
    .click();
  await expect(page.getByText('The trash is empty.')).toBeVisible();
  expect((await app.caller.entities.get({ type: 'person', id: person.id })).deletedAt).toBeNull();

  // Permanent delete: the dialog names the video, and only DELETE unlocks the button.
  await app.caller.trash.trash({ items: [{ type: 'person', id: person.id }] });
  await expect(trash).toContainText('Quentin Ref');
  await page.getByRole('button', { name: 'Delete Quentin Ref permanently' }).click();
  const dialog = page.getByRole('dialog', { name: /Delete this person permanently/ });
  await expect(dialog).toContainText(/appears in 1 video/i);
  await expect(dialog.getByRole('list', { name: 'Referenced by' })).toContainText('Walk with Q');
  const confirm = dialog.getByRole('button', { name: 'Delete permanently' });
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel('Type DELETE to confirm').fill('delete');
  await expect(confirm).toBeDisabled();
  await snap(page, 'permanent-delete-dialog');
  await dialog.getByLabel('Type DELETE to confirm').fill('DELETE');
  await confirm.click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText('The trash is empty.')).toBeVisible();
  await expect(app.caller.entities.get({ type: 'person', id: person.id })).rejects.toThrow();
  expect(await app.caller.entities.get({ type: 'video', id: video.id })).toMatchObject({ people: [] });
});

test('purge old trash with a progress bar', async ({ page, app }) => {
  const dog = await app.caller.entities.create({ type: 'dog', fields: { name: 'Old Dog' } });
  await app.caller.trash.trash({ items: [{ type: 'dog', id: dog.id }] });
  await page.goto(app.url);
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: /^Trash/ })
    .click();
  await expect(page.getByRole('table', { name: 'Entries in the trash' })).toContainText('Old Dog');
  // Trashed moments ago: below the retention, so only "everything in the trash" takes it (SAFETY-2).
  await page.getByLabel('Everything in the trash').check();
  await page.getByRole('button', { name: 'Purge…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Purge the trash?' });
  await dialog.getByLabel('Type DELETE to confirm').fill('DELETE');
  await dialog.getByRole('button', { name: 'Purge permanently' }).click();
  await expect(dialog.getByRole('status').filter({ hasText: 'Purged 1 entry.' })).toBeVisible();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(page.getByText('The trash is empty.')).toBeVisible();
});

test('history shows readable diffs and restores a version', async ({ page, app }) => {
  const series = await app.caller.entities.create({
    type: 'series',
    fields: { name: 'Mountain Days', description: 'First' },
  });
  await app.caller.entities.update({ type: 'series', id: series.id, rev: series.rev, fields: { name: 'Valley Days' } });
  await page.goto(app.url);
  await openLibrary(page, 'Series');
  await page.getByRole('row', { name: /Valley Days/ }).click();
  await page.getByRole('button', { name: 'History' }).click();
  await expect(page.getByRole('heading', { name: 'History of Valley Days' })).toBeVisible();
  const panel = page.getByRole('complementary', { name: /^History of/ });
  const versions = panel.getByRole('list', { name: 'Versions' }).getByRole('listitem');
  await expect(versions).toHaveCount(2);
  await expect(versions.first()).toContainText('Edited');
  await expect(versions.first().getByRole('table')).toContainText('Mountain Days');
  await expect(versions.first().getByRole('table')).toContainText('Valley Days');
  await snap(page, 'history');
  await versions.nth(1).getByRole('button', { name: 'Restore this version…' }).click();
  await page
    .getByRole('dialog', { name: /^Restore the version of / })
    .getByRole('button', { name: 'Restore this version' })
    .click();
  await expect(panel.getByRole('status')).toHaveText('Restored that version as a new change.');
  await expect(versions).toHaveCount(3);
  expect(await app.caller.entities.get({ type: 'series', id: series.id })).toMatchObject({ name: 'Mountain Days' });
  await page.keyboard.press('Escape');
  await expect(page.getByRole('form', { name: 'series form' }).getByLabel('Name', { exact: true })).toHaveValue(
    'Mountain Days',
  );
});

test('audit filters by action and exports the filtered entries to CSV and JSON', async ({ page, app }) => {
  const trip = await app.caller.entities.create({ type: 'trip', fields: { name: 'Coast' } });
  await app.caller.entities.create({ type: 'trip', fields: { name: 'Lakes' } });
  await app.caller.trash.trash({ items: [{ type: 'trip', id: trip.id }] });
  await page.goto(app.url);
  await openAudit(page);
  const rows = page.getByRole('table', { name: 'Audit entries' }).locator('tbody tr');
  await expect(rows).toHaveCount(3);
  await page.getByLabel('Action').selectOption('trash');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('Coast');
  await snap(page, 'audit');

  const csvDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const csv = await readFile((await (await csvDownload).path())!, 'utf8');
  const lines = csv.trim().split(/\r?\n/);
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain('trash');
  expect(lines[1]).toContain('Coast');
  await expect(page.getByRole('status').filter({ hasText: 'Exported 1 row.' })).toBeVisible();

  const jsonDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export JSON' }).click();
  const json = JSON.parse(await readFile((await (await jsonDownload).path())!, 'utf8')) as {
    action: string;
    entityTitle: string;
  }[];
  expect(json).toEqual([expect.objectContaining({ action: 'trash', entityTitle: 'Coast' })]);

  // One entry's trail: pick the type, then the entry by searching its name.
  await page.getByLabel('Action').selectOption('');
  await page.getByRole('group', { name: 'Audit filters' }).getByLabel('Type').selectOption('trip');
  await expect(rows).toHaveCount(3);
  await page.getByRole('combobox', { name: 'Entry' }).fill('lak');
  await page.getByRole('option', { name: 'Lakes' }).click();
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('Lakes');
});
