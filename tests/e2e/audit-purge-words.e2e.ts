import { readFile } from 'node:fs/promises';
import { expect, openAudit, test } from './fixtures';

/**
 * The audit reads a permanent delete as one: its trash state goes from "In trash since …" to
 * "Deleted permanently", on screen and in the CSV export. Before, the purge's deletedAt → null
 * read "Restored", the same words as a restore from the trash.
 */
test('the audit says a permanently deleted entry left the trash by deletion, not "Restored"', async ({ page, app }) => {
  const gone = await app.caller.entities.create({ type: 'trip', fields: { name: 'Coast' } });
  const back = await app.caller.entities.create({ type: 'trip', fields: { name: 'Lakes' } });
  await app.caller.trash.trash({ items: [{ type: 'trip', id: gone.id }] });
  await app.caller.trash.deletePermanently({ items: [{ type: 'trip', id: gone.id }], confirm: true });
  await app.caller.trash.trash({ items: [{ type: 'trip', id: back.id }] });
  await app.caller.trash.restore({ items: [{ type: 'trip', id: back.id }] });

  await page.goto(app.url);
  await openAudit(page);
  const rows = page.getByRole('table', { name: 'Audit entries' }).locator('tbody tr');
  const purge = rows.filter({ hasText: 'Deleted permanently' });
  await expect(purge).toHaveCount(1);
  await expect(purge).toContainText(/Trash: In trash since .+ → Deleted permanently/);
  await expect(purge).not.toContainText('Restored');
  // A restore still reads as one.
  await expect(rows.filter({ hasText: 'Restored from trash' })).toContainText(/Trash: In trash since .+ → Restored/);

  await page.getByLabel('Action').selectOption('purge');
  await expect(rows).toHaveCount(1);
  const csvDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const [, line] = (await readFile((await (await csvDownload).path())!, 'utf8')).trim().split(/\r?\n/);
  expect(line).toMatch(/Trash: In trash since .+ → Deleted permanently/);
  expect(line).not.toContain('Restored');
});
