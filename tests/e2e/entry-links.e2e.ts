import { expect, test, type RunningApp } from './fixtures';
import type { Page } from '@playwright/test';

/**
 * Links to entries in browser mode: `#/entry/<type>/<id>` on the page's address opens the entry,
 * "Copy link" gives that address, and a broken link says what is wrong.
 */

async function createPerson(app: RunningApp, name: string): Promise<string> {
  const created = await app.caller.entities.create({ type: 'person', fields: { name } });
  return created.id;
}

/** Opens the printed address (it carries the launch token), then returns the page's origin. */
async function openApp(page: Page, app: RunningApp): Promise<string> {
  await page.goto(app.url);
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  return new URL(app.url).origin;
}

/** The page's clipboard (tests are typed for Node, which has no `navigator.clipboard`). */
type PageGlobal = { navigator: { clipboard: { readText(): Promise<string>; writeText(text: string): Promise<void> } } };
const readClipboard = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as PageGlobal).navigator.clipboard.readText());
const clearClipboard = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as PageGlobal).navigator.clipboard.writeText(''));

test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

test('an entry link opens the entry, on a fresh load and in an open page', async ({ page, app }) => {
  const ada = await createPerson(app, 'Ada Lovelace');
  const grace = await createPerson(app, 'Grace Hopper');
  const origin = await openApp(page, app);

  // A fresh load of the link (the tab keeps its launch token, as after pasting the printed address).
  await page.goto('about:blank');
  await page.goto(`${origin}/#/entry/person/${ada}`);
  await expect(page.getByRole('heading', { name: 'Edit person' })).toBeVisible();
  await expect(page.getByRole('textbox', { name: /^Name/ })).toHaveValue('Ada Lovelace');
  await expect(page.getByRole('heading', { level: 2, name: 'People' })).toBeVisible();
  // The route is used up: the address no longer carries it, so the same link can be opened again.
  expect(new URL(page.url()).hash).toBe('');

  // In the open page (what the desktop app does when the OS hands it a curio:// link).
  await page.goto(`${origin}/#/entry/person/${grace}`);
  await expect(page.getByRole('textbox', { name: /^Name/ })).toHaveValue('Grace Hopper');
});

test('a link that names no entry says why', async ({ page, app }) => {
  const origin = await openApp(page, app);
  await page.goto(`${origin}/#/entry/cat/123`);
  await expect(page.getByRole('alert')).toContainText(
    'This link cannot be opened: "cat" is not an entry type; Curio knows video, person',
  );
  await page.getByRole('button', { name: 'Dismiss' }).click();
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('"Copy link" on an entry and on a history item puts the entry\'s link on the clipboard', async ({ page, app }) => {
  const ada = await createPerson(app, 'Ada Lovelace');
  const { rev } = await app.caller.entities.get({ type: 'person', id: ada });
  await app.caller.entities.update({ type: 'person', id: ada, rev, fields: { name: 'Ada King' } });
  const origin = await openApp(page, app);
  const link = `${origin}/#/entry/person/${ada}`;
  await page.goto(link);
  await expect(page.getByRole('textbox', { name: /^Name/ })).toHaveValue('Ada King');

  await page.getByRole('button', { name: 'Copy link', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Copied' })).toHaveText(`Copied ${link}`);
  expect(await readClipboard(page)).toBe(link);

  await clearClipboard(page);
  await page.getByRole('button', { name: 'History' }).click();
  const copyButtons = page.getByRole('button', { name: /^Copy link to this entry/ });
  await expect(copyButtons).toHaveCount(2);
  await copyButtons.last().click();
  expect(await readClipboard(page)).toBe(link);

  // The copied link opens the entry from anywhere in the app.
  await page.getByRole('button', { name: /Back to the editor/ }).click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Home' }).click();
  await page.goto(link);
  await expect(page.getByRole('textbox', { name: /^Name/ })).toHaveValue('Ada King');
});
