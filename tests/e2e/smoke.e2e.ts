import { expect, snap, test } from './fixtures';

test('browser mode loads the app with its navigation and the sync badge', async ({ page, app }) => {
  await page.goto(app.url);
  await expect(page).toHaveTitle('Curio');
  await expect(page.getByRole('heading', { name: 'Curio', level: 1 })).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav).toContainText('Videos');
  await expect(page.getByRole('button', { name: /Sync status: Local only/ })).toBeVisible();
  await snap(page, 'home');
});
