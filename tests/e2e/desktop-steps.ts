import { expect, type Page } from '@playwright/test';

/**
 * What a user does in the desktop app test, kept apart so the same steps can be checked in
 * browser mode (same renderer) where no Electron binary is installed.
 */
export async function openPeople(page: Page): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: /^People/ })
    .click();
  await expect(page.getByRole('heading', { level: 2, name: 'People' })).toBeVisible();
}

export async function createPerson(page: Page, name: string): Promise<void> {
  await openPeople(page);
  await page.getByRole('button', { name: /^New person/ }).click();
  await page.getByRole('textbox', { name: /^Name/ }).fill(name);
  // The editor's Save (the library also has "Save view…").
  await page.getByRole('button', { name: /^Save \(/ }).click();
  // Once saved, the editor switches from "New person" to editing the stored entry.
  await expect(page.getByRole('heading', { name: 'Edit person' })).toBeVisible();
}

export async function expectPersonListed(page: Page, name: string): Promise<void> {
  await openPeople(page);
  await expect(page.getByRole('grid', { name: 'People' }).getByText(name)).toBeVisible();
}

/** "Copy link" in the open editor; returns the link it shows as copied. */
export async function copyEntryLink(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Copy link', exact: true }).click();
  const status = page.getByRole('status').filter({ hasText: /^Copied / });
  await expect(status).toBeVisible();
  return (await status.textContent())!.replace(/^Copied /, '');
}

export async function expectEditing(page: Page, name: string): Promise<void> {
  await expect(page.getByRole('heading', { name: 'Edit person' })).toBeVisible();
  await expect(page.getByRole('textbox', { name: /^Name/ })).toHaveValue(name);
}
