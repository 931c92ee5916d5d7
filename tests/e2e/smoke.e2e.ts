import { expect, test } from '@playwright/test';

test('the renderer loads and shows its title', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveTitle('Curio');
  await expect(page.getByRole('heading', { name: 'Curio' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Catalog' })).toContainText('Videos');
});
