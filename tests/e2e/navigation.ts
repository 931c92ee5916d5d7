import type { Page } from '@playwright/test';

/**
 * Clicks the main navigation's button for the screen `label` (its count may follow), as a person would.
 * NOTE: Playwright Test is imported for its types only, so the UI benchmark (playwright-core) uses this too.
 */
export async function openScreenNamed(page: Page, label: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: new RegExp(`^${label}`) })
    .click();
}
