import { expect, openScreenNamed, test } from './fixtures';
import { startTeam } from './safety-helpers-roles';
import { syncBadge } from './sync-fixtures';

/**
 * CLIENT-19: a sign-out made while the server could not be reached waits on the device, and the Sync screen
 * says so: to which server, since when, and until when it is tried (the session's own end there). Before,
 * the screen only offered the sign-in form, with no word about the sign-out still to be sent.
 */
test('the Sync screen shows a sign-out waiting to be sent, since when and until when, until it is sent', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const team = await startTeam(browser, ['Eddie']);
  const { page, proxy } = team.members.Eddie;
  try {
    await expect(syncBadge(page)).toHaveAccessibleName(/^Sync status: In sync/, { timeout: 20_000 });
    await proxy.setOnline(false);
    await openScreenNamed(page, 'Sync');
    const waitingRegion = page.getByRole('region', { name: 'Sign-outs waiting to be sent' });
    await expect(waitingRegion).toBeHidden();

    await page.getByRole('region', { name: 'Sync details' }).getByRole('button', { name: 'Sign out' }).click();
    await page
      .getByRole('dialog', { name: 'Sign out of the sync server?' })
      .getByRole('button', { name: 'Sign out' })
      .click();
    await expect(syncBadge(page)).toHaveAccessibleName(/^Sync status: Local only/);

    await expect(waitingRegion).toContainText(
      `A sign-out of this device is waiting to be sent to ${proxy.url}, since `,
    );
    await expect(waitingRegion).toContainText(String(new Date().getFullYear()));
    await expect(waitingRegion).toContainText('until then the server still lists this device as signed in');
    await expect(waitingRegion).toContainText('That session ends there by itself on ');
    await expect(waitingRegion).toContainText(
      'after that there is nothing left to sign out and this device stops trying',
    );

    // Back online the sign-out is sent, and the notice goes.
    await proxy.setOnline(true);
    await expect(waitingRegion).toBeHidden({ timeout: 20_000 });
  } finally {
    await team.close();
  }
});
