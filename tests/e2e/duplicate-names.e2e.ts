import type { Page } from '@playwright/test';
import { v7 as uuidv7 } from 'uuid';
import { expect, openLibrary, test } from './fixtures';
import { startAdaAndEddieBehindProxies } from './sync-fixtures';

/**
 * Two people offline each create a dog named "Rex"; after both reconnect, each device holds two live
 * dogs with that name (the uniqueness check is local; the sync keeps both). Before, every save of
 * either dog was then refused with "A dog named "Rex" already exists", even a save that left the
 * name alone. A save that keeps the stored name goes through; a rename onto a taken name is refused.
 */
test('two dogs named alike by an offline create: saving one of them without renaming it works', async ({ browser }) => {
  test.setTimeout(120_000);
  const { proxyA, proxyB, a, b, pageA, pageB, close } = await startAdaAndEddieBehindProxies(browser);
  try {
    proxyA.setOnline(false);
    proxyB.setOnline(false);
    await a.app.caller.entities.create({ type: 'dog', fields: { name: 'Rex', breed: 'Collie' } });
    await b.app.caller.entities.create({ type: 'dog', fields: { name: 'Rex', breed: 'Husky' } });
    await b.app.caller.entities.create({ type: 'dog', fields: { name: 'Max', breed: 'Beagle' } });
    proxyA.setOnline(true);
    proxyB.setOnline(true);

    await openLibrary(pageB, 'Dogs');
    const grid = pageB.getByRole('grid', { name: 'Dogs' });
    await expect(grid.getByRole('row', { name: /Rex/ })).toHaveCount(2, { timeout: 30_000 });
    await grid.getByRole('row', { name: /Rex.*Husky/ }).click();
    const form = pageB.getByRole('form', { name: 'dog form' });
    await form.getByRole('textbox', { name: 'Color' }).fill('Brown');
    await form.getByRole('button', { name: /^Save/ }).click();
    await expect(form.getByRole('status')).toHaveText('Saved.');
    await expect(form.getByRole('alert')).toHaveCount(0);

    // The rule still holds for a name the save sets.
    await form.getByRole('textbox', { name: /^Name/ }).fill('max');
    await form.getByRole('button', { name: /^Save/ }).click();
    await expect(form).toContainText('A dog named "Max" already exists.');

    // Ada, on her device, saves her Rex too once Eddie's has arrived.
    await openLibrary(pageA, 'Dogs');
    const gridA = pageA.getByRole('grid', { name: 'Dogs' });
    await expect(gridA.getByRole('row', { name: /Rex/ })).toHaveCount(2, { timeout: 30_000 });
    await gridA.getByRole('row', { name: /Rex.*Collie/ }).click();
    const formA = pageA.getByRole('form', { name: 'dog form' });
    await formA.getByLabel('Birth year').fill('2019');
    await formA.getByRole('button', { name: /^Save/ }).click();
    await expect(formA.getByRole('status')).toHaveText('Saved.');
  } finally {
    await close();
  }
});

/**
 * The same two offline creates of "Rex", seen from an open editor: when the sync brings in the other
 * Rex, the editor says so without a reload, names the other one with a link to open it and says to
 * rename one of them. A rename on one device makes the note go on both.
 */
test('an open dog whose name a sync makes shared says so, links to the other one, and clears after a rename', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const { proxyA, proxyB, a, b, pageA, pageB, close } = await startAdaAndEddieBehindProxies(browser);
  try {
    proxyA.setOnline(false);
    proxyB.setOnline(false);
    await a.app.caller.entities.create({ type: 'dog', fields: { name: 'Rex', breed: 'Collie' } });
    await b.app.caller.entities.create({ type: 'dog', fields: { name: 'rex', breed: 'Husky' } });

    // Both have their own Rex open while still offline: nothing shares its name yet.
    const openDog = async (page: Page, row: RegExp) => {
      await openLibrary(page, 'Dogs');
      await page.getByRole('grid', { name: 'Dogs' }).getByRole('row', { name: row }).click();
      return page.getByRole('form', { name: 'dog form' });
    };
    const form = await openDog(pageB, /rex.*Husky/);
    const formA = await openDog(pageA, /Rex.*Collie/);
    await expect(form.getByRole('textbox', { name: 'Breed' })).toHaveValue('Husky');
    await expect(formA.getByRole('textbox', { name: 'Breed' })).toHaveValue('Collie');
    const note = pageB.getByRole('note', { name: 'Same name' });
    const noteA = pageA.getByRole('note', { name: 'Same name' });
    await expect(note).toHaveCount(0);
    await expect(noteA).toHaveCount(0);

    // Both reconnect: the other Rex arrives and each open editor says so, without a reload.
    proxyA.setOnline(true);
    proxyB.setOnline(true);
    await expect(note).toContainText('Another dog is also named “rex”:', { timeout: 30_000 });
    await expect(note).toContainText('(Collie, added by Ada Admin on');
    await expect(note).toContainText('Rename one of them');
    await expect(noteA).toContainText('Another dog is also named “Rex”:', { timeout: 30_000 });
    await expect(noteA).toContainText('(Husky, added by Eddie Editor on');
    // Non-blocking: nothing refused, the form as it was.
    await expect(form.getByRole('alert')).toHaveCount(0);

    // The link opens the other Rex; Eddie renames it there, and the note goes on both devices.
    await note.getByRole('link', { name: 'Rex' }).click();
    await expect(form.getByRole('textbox', { name: 'Breed' })).toHaveValue('Collie');
    await expect(note).toContainText('(Husky, added by Eddie Editor on');
    await form.getByRole('textbox', { name: /^Name/ }).fill('Rex the Collie');
    await form.getByRole('button', { name: /^Save/ }).click();
    await expect(form.getByRole('status')).toHaveText('Saved.');
    await expect(note).toHaveCount(0);
    await expect(formA.getByRole('textbox', { name: /^Name/ })).toHaveValue('Rex the Collie', { timeout: 30_000 });
    await expect(noteA).toHaveCount(0);
  } finally {
    await close();
  }
});

/** A viewer cannot rename: the note names the other entry just the same and says who can. */
test('a viewer sees the shared-name note, read-only', async ({ page, app }) => {
  const rex = await app.caller.entities.create({ type: 'dog', fields: { name: 'Rex', breed: 'Collie' } });
  // Another device's Rex, written as a sync pull writes it (no uniqueness check on a pull).
  await app.core.context.database.entities.dog.insert({
    ...rex,
    id: uuidv7(),
    rev: uuidv7(),
    breed: 'Husky',
    createdBy: { id: 'eddie', name: 'Eddie Editor' },
  } as never);
  app.core.context.setSession({ actor: { id: 'vera', name: 'Vera Viewer' }, role: 'viewer' });
  await page.goto(app.url);
  await openLibrary(page, 'Dogs');
  await page
    .getByRole('grid', { name: 'Dogs' })
    .getByRole('row', { name: /Rex.*Collie/ })
    .click();
  await expect(page.getByRole('status').filter({ hasText: 'Read only.' })).toBeVisible();
  const note = page.getByRole('note', { name: 'Same name' });
  await expect(note).toContainText('Another dog is also named “Rex”:');
  await expect(note).toContainText('(Husky, added by Eddie Editor on');
  await expect(note).toContainText('Someone who can edit entries should rename one of them.');
  await expect(note.getByRole('link', { name: 'Rex' })).toBeVisible();
});
