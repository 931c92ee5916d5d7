import { expect, openLibrary, openScreenNamed, test } from './fixtures';
import { startTeam } from './safety-helpers-roles';
import { syncBadge } from './sync-fixtures';

/**
 * Signing out from the Sync screen asks first, as Account ▸ Sessions does, and says what becomes of
 * changes that have not reached the server. Before, the button signed out at once and the badge's
 * "1 waiting" turned into "Local only", with no word about the unsent change.
 */
test('Sign out on the Sync screen asks first and names the changes not sent yet', async ({ browser }) => {
  test.setTimeout(120_000);
  const team = await startTeam(browser, ['Eddie']);
  const { app, page, proxy } = team.members.Eddie;
  try {
    await app.caller.entities.create({ type: 'dog', fields: { name: 'Rex' } });
    await expect(syncBadge(page)).toHaveAccessibleName(/^Sync status: In sync/, { timeout: 20_000 });

    // Offline, Eddie saves a breed: it waits to be sent.
    await proxy.setOnline(false);
    await openLibrary(page, 'Dogs');
    await page.getByRole('row', { name: /Rex/ }).click();
    const form = page.getByRole('form', { name: 'dog form' });
    await form.getByLabel('Breed').fill('Collie');
    await form.getByRole('button', { name: /^Save/ }).click();
    await expect(form.getByRole('status')).toHaveText('Saved.');
    await expect(syncBadge(page)).toHaveAccessibleName(/Offline · 1 waiting/, { timeout: 20_000 });

    // Sign out asks, says the change stays here and for whom, and Cancel keeps Eddie signed in.
    await openScreenNamed(page, 'Sync');
    await page.getByRole('region', { name: 'Sync details' }).getByRole('button', { name: 'Sign out' }).click();
    const asked = page.getByRole('dialog', { name: 'Sign out with 1 change not sent?' });
    await expect(asked).toContainText('1 change made here has not reached the server yet');
    await expect(asked).toContainText('sent when eddie signs in here again');
    await expect(asked).toContainText('The server cannot be reached now');
    await expect(asked).toContainText('sends it as soon as the server can be reached again');
    await asked.getByRole('button', { name: 'Cancel' }).click();
    await expect(asked).toBeHidden();
    await expect(syncBadge(page)).toHaveAccessibleName(/Offline · 1 waiting/);

    // Back online the change goes out; signing out still asks, now with nothing waiting, and then signs out.
    await proxy.setOnline(true);
    await expect(syncBadge(page)).toHaveAccessibleName(/^Sync status: In sync\./, { timeout: 20_000 });
    await page.getByRole('region', { name: 'Sync details' }).getByRole('button', { name: 'Sign out' }).click();
    const plain = page.getByRole('dialog', { name: 'Sign out of the sync server?' });
    await expect(plain).toContainText('Your work here stays on this device.');
    await expect(plain).not.toContainText('not reached the server');
    await plain.getByRole('button', { name: 'Sign out' }).click();
    await expect(syncBadge(page)).toHaveAccessibleName(/^Sync status: Local only/);
  } finally {
    await team.close();
  }
});
