import { expect, openScreen, test } from './fixtures';

/**
 * Two windows of one profile (two tabs in browser mode) with Settings open: a save in one never puts back
 * what the other saved, and each shows the other's change as it lands.
 */
test('a setting saved in another window is shown at once and not put back by a save here', async ({ app, browser }) => {
  const context = await browser.newContext();
  const [first, second] = [await context.newPage(), await context.newPage()];
  for (const page of [first, second]) {
    await page.goto(app.url);
    await openScreen(page, 'Settings');
    await expect(page.getByLabel(/Trash retention/)).toHaveValue('30');
  }

  await first.getByLabel(/Trash retention/).fill('7');
  await first.getByRole('button', { name: 'Save settings' }).click();
  await expect(first.getByRole('status')).toHaveText('Settings saved.');

  // The other window only changes the profile name; its retention box was showing 30.
  await second.getByLabel(/Profile name/).fill('Front desk');
  await second.getByRole('button', { name: 'Save settings' }).click();
  await expect(second.getByRole('status')).toHaveText('Settings saved.');
  expect(await app.caller.settings.get()).toMatchObject({ profileName: 'Front desk', trashRetentionDays: 7 });
  await expect(second.getByLabel(/Trash retention/)).toHaveValue('7');
  await expect(first.getByLabel(/Profile name/)).toHaveValue('Front desk');

  // A switch clicked in one window shows in the other.
  await first.getByRole('checkbox', { name: /new sync conflicts/ }).uncheck();
  await expect(second.getByRole('checkbox', { name: /new sync conflicts/ })).not.toBeChecked();
  await context.close();
});

test('a setting typed here and saved in another window meanwhile is shown, and a save here then replaces it', async ({
  app,
  browser,
}) => {
  const context = await browser.newContext();
  const [first, second] = [await context.newPage(), await context.newPage()];
  for (const page of [first, second]) {
    await page.goto(app.url);
    await openScreen(page, 'Settings');
  }
  await second.getByLabel(/Trash retention/).fill('14');

  await first.getByLabel(/Trash retention/).fill('7');
  await first.getByRole('button', { name: 'Save settings' }).click();
  await expect(first.getByRole('status')).toHaveText('Settings saved.');

  // What the second window typed stays, and it is told what was saved elsewhere before it saves over it.
  await expect(second.getByLabel(/Trash retention/)).toHaveValue('14');
  await expect(
    second.getByText('Saved as 7 days in another window while you were editing. Saving replaces it with yours.'),
  ).toBeVisible();
  await second.getByRole('button', { name: 'Save settings' }).click();
  await expect(second.getByRole('status')).toHaveText('Settings saved.');
  expect(await app.caller.settings.get()).toMatchObject({ trashRetentionDays: 14 });
  await expect(first.getByLabel(/Trash retention/)).toHaveValue('14');
  await context.close();
});
