import type { Page } from '@playwright/test';
import { expectNoAxeViolations } from './axe';
import { expect, openLibrary, test } from './fixtures';
import { liveDocumentValve } from './safety-helpers-editor';

/**
 * Two windows of one profile (two tabs in browser mode) on the Dogs library, both on the view "Beagles":
 * window A asks to delete it while window B replaces it. A's question shows what the view holds and follows
 * it live; a delete of the version A was shown, once B replaced it, is refused with nothing deleted, and A
 * is shown what the view holds now.
 */
const beagles = {
  type: 'dog' as const,
  name: 'Beagles',
  filters: { breed: { contains: 'beagle' } },
  columns: ['name', 'breed'],
};

async function onBeagles(page: Page, url: string) {
  await page.goto(url);
  await openLibrary(page, 'Dogs');
  await page.getByLabel('Saved view', { exact: true }).selectOption('Beagles');
  await expect(page.getByRole('button', { name: 'Delete view' })).toBeVisible();
}

/** Window B saves its list, now of collies, under the name "Beagles": it replaces the view. */
async function replaceWithCollies(page: Page) {
  await page.getByLabel('Breed contains').fill('collie');
  await page.getByRole('button', { name: 'Save view…' }).click();
  await page.getByLabel('View name').fill('Beagles');
  await page.getByRole('form', { name: 'Save view' }).getByRole('button', { name: 'Replace view' }).click();
  await expect(page.getByLabel('Saved view', { exact: true })).toHaveValue('Beagles');
}

test('the delete question shows what the view holds and, replaced in another window, what it holds now', async ({
  app,
  browser,
}) => {
  await app.caller.views.save(beagles);
  const context = await browser.newContext();
  const [windowA, windowB] = [await context.newPage(), await context.newPage()];
  for (const page of [windowA, windowB]) await onBeagles(page, app.url);

  await windowA.getByRole('button', { name: 'Delete view' }).click();
  const question = windowA.getByRole('dialog', { name: 'Delete the view “Beagles”?' });
  const holds = question.getByRole('table', { name: 'What the view holds' });
  await expect(holds.getByRole('row', { name: /^Name / })).toHaveText(/Name\s*Beagles$/);
  await expect(holds.getByRole('row', { name: /^Trash / })).toHaveText(/Trash\s*Not in the trash$/);
  await expect(holds.getByRole('row', { name: /^Filters / })).toHaveText(/Filters\s*Breed contains “beagle”$/);
  await expect(holds.getByRole('row', { name: /^Columns / })).toHaveText(/Columns\s*Name, Breed$/);
  await expect(question.getByRole('alert')).toHaveCount(0);

  await replaceWithCollies(windowB);

  await expect(question.getByRole('alert')).toHaveText(
    'While this question was open, the view “Beagles” was replaced in another window. Below is what it holds now; deleting deletes that.',
  );
  await expect(holds.getByRole('row', { name: /^Filters / })).toHaveText(
    /Filters\s*Breed contains “collie” \(changed while this question was open; was: Breed contains “beagle”\)$/,
  );
  await expect(holds.getByRole('row', { name: /^Columns / })).toHaveText(/Columns\s*Name, Breed$/);
  await expectNoAxeViolations(windowA, 'the delete view question, replaced while open');

  // Seen, B's view is what the delete deletes.
  await question.getByRole('button', { name: 'Delete view' }).click();
  await expect(question).toBeHidden();
  expect(await app.caller.views.list({ type: 'dog' })).toEqual([]);
  await context.close();
});

test('a delete of the version shown, replaced since in another window, is refused and shows the view as it is now', async ({
  app,
  browser,
}) => {
  await app.caller.views.save(beagles);
  const contextA = await browser.newContext();
  const contextB = await browser.newContext();
  // Window A does not hear of B's save before its click: its question still shows the beagles.
  const valve = await liveDocumentValve(contextA, 'views.onChange');
  const [windowA, windowB] = [await contextA.newPage(), await contextB.newPage()];
  for (const page of [windowA, windowB]) await onBeagles(page, app.url);

  await windowA.getByRole('button', { name: 'Delete view' }).click();
  const question = windowA.getByRole('dialog', { name: 'Delete the view “Beagles”?' });
  const holds = question.getByRole('table', { name: 'What the view holds' });
  await expect(holds.getByRole('row', { name: /^Filters / })).toHaveText(/Breed contains “beagle”$/);

  valve.freeze();
  await replaceWithCollies(windowB);
  const [replaced] = await app.caller.views.list({ type: 'dog' });
  expect(replaced).toMatchObject({ name: 'Beagles', filters: { breed: { contains: 'collie' } } });
  await expect(holds.getByRole('row', { name: /^Filters / })).toHaveText(/Breed contains “beagle”$/);

  await question.getByRole('button', { name: 'Delete view' }).click();
  await expect(question.getByText(/^The view of dogs "Beagles" was replaced in another window/)).toHaveText(
    'The view of dogs "Beagles" was replaced in another window after it was shown here. Nothing was deleted: look at what it holds now, and delete it again if you still mean to.',
  );
  // Nothing deleted: B's view is there, and A's question shows it as it is now.
  expect(await app.caller.views.list({ type: 'dog' })).toEqual([replaced]);
  await expect(holds.getByRole('row', { name: /^Filters / })).toHaveText(
    /Breed contains “collie” \(changed while this question was open; was: Breed contains “beagle”\)$/,
  );
  await expect(question.getByText(/^While this question was open, the view “Beagles” was replaced/)).toBeVisible();
  await expect(windowA.getByLabel('Breed contains')).toHaveValue('beagle');
  valve.thaw();
  await contextA.close();
  await contextB.close();
});

test('the delete question names linked entries and the sort as the list shows them', async ({ app, page }) => {
  const rex = await app.caller.entities.create({ type: 'dog', fields: { name: 'Rex' } });
  await app.caller.views.save({
    type: 'video',
    name: 'Rex, newest first',
    trash: 'all',
    filters: { dogs: [rex.id], publishedAt: { from: '2025' } },
    sort: { field: 'publishedAt', direction: 'desc' },
    columns: ['title', 'dogs', 'publishedAt'],
  });
  await page.goto(app.url);
  await openLibrary(page, 'Videos');
  await page.getByLabel('Saved view', { exact: true }).selectOption('Rex, newest first');
  await page.getByRole('button', { name: 'Delete view' }).click();
  const holds = page.getByRole('dialog').getByRole('table', { name: 'What the view holds' });
  await expect(holds.getByRole('row', { name: /^Trash / })).toHaveText(/Trash\s*Both$/);
  await expect(holds.getByRole('row', { name: /^Filters / })).toHaveText(
    /Filters\s*With dog: Rex; Published from 2025$/,
  );
  await expect(holds.getByRole('row', { name: /^Sort / })).toHaveText(/Sort\s*Published, descending$/);
  await expect(holds.getByRole('row', { name: /^Columns / })).toHaveText(/Columns\s*Title, Dogs, Published$/);
});
