import { expect, openAudit, test } from './fixtures';

/**
 * The audit's Entry filter finds entries in the trash and deleted permanently (by the title their trail
 * kept), marked as such, and shows their trail: the entries whose history matters most. Before, it
 * offered live entries only.
 */
test('the audit Entry filter offers trashed and permanently deleted entries, marked', async ({ page, app }) => {
  await app.caller.entities.create({ type: 'dog', fields: { name: 'Rex Live' } });
  const trashed = await app.caller.entities.create({ type: 'dog', fields: { name: 'Rex Napping' } });
  const gone = await app.caller.entities.create({ type: 'dog', fields: { name: 'Rex Gone' } });
  await app.caller.trash.trash({ items: [{ type: 'dog', id: trashed.id }] });
  await app.caller.trash.trash({ items: [{ type: 'dog', id: gone.id }] });
  await app.caller.trash.deletePermanently({ items: [{ type: 'dog', id: gone.id }], confirm: true });

  await page.goto(app.url);
  await openAudit(page);
  const rows = page.getByRole('table', { name: 'Audit entries' }).locator('tbody tr');
  await expect(rows).toHaveCount(6);
  const filters = page.getByRole('group', { name: 'Audit filters' });
  await filters.getByLabel('Type').selectOption('dog');
  const entry = filters.getByRole('combobox', { name: 'Entry' });
  const options = filters.getByRole('listbox', { name: 'Entry matches' }).getByRole('option');

  await entry.fill('rex');
  await expect(options).toHaveCount(3);
  await expect(options.filter({ hasText: 'Rex Live' })).toHaveText('Rex Live');
  await expect(options.filter({ hasText: 'Rex Napping' })).toHaveText('Rex Napping — in the trash');
  await expect(options.filter({ hasText: 'Rex Gone' })).toHaveText('Rex Gone — deleted permanently');

  // The deleted dog's whole trail: created, moved to the trash, deleted permanently.
  await options.filter({ hasText: 'Rex Gone' }).click();
  // Its chip says so, and has no link to open: there is nothing left to open.
  const chip = filters.locator('.chip');
  await expect(chip).toContainText('Rex Gone');
  await expect(chip).toContainText('deleted permanently');
  await expect(chip.getByRole('link')).toHaveCount(0);
  await expect(chip.getByRole('button', { name: 'Remove Rex Gone from Entry' })).toBeVisible();
  await expect(rows).toHaveCount(3);
  await expect(rows.filter({ hasText: 'Rex Gone' })).toHaveCount(3);
  await expect(rows.filter({ hasText: 'Deleted permanently' })).toHaveCount(1);

  // The trashed one by a word of its name only.
  await entry.fill('napp');
  await expect(options).toHaveText(['Rex Napping — in the trash']);
  await entry.press('Enter');
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: 'Rex Napping' })).toHaveCount(2);

  // Nothing found says so, and that the trash and deleted entries were searched too.
  await entry.fill('zzz');
  await expect(entry).toHaveAccessibleDescription(
    'No dog matches "zzz". Entries in the trash and deleted permanently are searched too.',
  );
});

/**
 * A chip in the Entry filter only narrows the trail: it says the entry is in the trash and links to it, but
 * offers no one-click Restore (a change of data out of context, without the question every restore asks).
 */
test('the audit Entry filter chip of a trashed entry offers no Restore', async ({ page, app }) => {
  const napping = await app.caller.entities.create({ type: 'dog', fields: { name: 'Rex Napping' } });
  await app.caller.trash.trash({ items: [{ type: 'dog', id: napping.id }] });

  await page.goto(app.url);
  await openAudit(page);
  const filters = page.getByRole('group', { name: 'Audit filters' });
  await filters.getByLabel('Type').selectOption('dog');
  const entry = filters.getByRole('combobox', { name: 'Entry' });
  await entry.fill('napp');
  await expect(filters.getByRole('listbox', { name: 'Entry matches' }).getByRole('option')).toHaveText([
    'Rex Napping — in the trash',
  ]);
  await entry.press('Enter');

  const chip = filters.locator('.chip');
  await expect(chip).toContainText('in trash');
  await expect(chip.getByRole('link', { name: 'Rex Napping' })).toBeVisible();
  await expect(chip.getByRole('button', { name: 'Remove Rex Napping from Entry' })).toBeVisible();
  await expect(chip.getByRole('button', { name: /Restore/ })).toHaveCount(0);
  await expect(page.getByRole('table', { name: 'Audit entries' }).locator('tbody tr')).toHaveCount(2);
  expect((await app.caller.entities.get({ type: 'dog', id: napping.id })).deletedAt).not.toBeNull();
});
