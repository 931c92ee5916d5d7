import { expect, openLibrary, test } from './fixtures';

/**
 * Two windows of one profile (two tabs in browser mode) on the Dogs library: a view saved or deleted in one
 * is in the other's list at once, a save never replaces unseen a view of that name saved in the other, and a
 * view deleted in the other leaves this list as it is, saying so.
 */
const beagles = {
  type: 'dog' as const,
  name: 'Beagles',
  filters: { breed: { contains: 'beagle' } },
  columns: ['name', 'breed'],
};

test('a view saved in another window is listed at once and a save here under its name says it replaces it', async ({
  app,
  browser,
}) => {
  const context = await browser.newContext();
  const [first, second] = [await context.newPage(), await context.newPage()];
  for (const page of [first, second]) {
    await page.goto(app.url);
    await openLibrary(page, 'Dogs');
  }
  // The second window starts naming a view while the first saves one of that name.
  await second.getByRole('button', { name: 'Save view…' }).click();
  await second.getByLabel('View name').fill('Beagles');
  await expect(second.getByRole('form', { name: 'Save view' }).getByRole('button', { name: 'Save' })).toBeVisible();

  await first.getByRole('button', { name: 'Save view…' }).click();
  await first.getByLabel('View name').fill('Beagles');
  await first.getByRole('form', { name: 'Save view' }).getByRole('button', { name: 'Save' }).click();
  await expect(first.getByLabel('Saved view', { exact: true })).toHaveValue('Beagles');

  await expect(
    second.getByLabel('Saved view', { exact: true }).getByRole('option', { name: 'Beagles' }),
  ).toBeAttached();
  await expect(second.getByText('A view of dogs with this name exists; saving replaces it.')).toBeVisible();
  await expect(second.getByRole('button', { name: 'Replace view' })).toBeVisible();

  // Deleted in the first window, it leaves the second's list.
  await first.getByRole('button', { name: 'Delete view' }).click();
  await first.getByRole('dialog').getByRole('button', { name: 'Delete view' }).click();
  await expect(
    second.getByLabel('Saved view', { exact: true }).getByRole('option', { name: 'Beagles' }),
  ).not.toBeAttached();
  await expect(second.getByRole('form', { name: 'Save view' }).getByRole('button', { name: 'Save' })).toBeVisible();
  await context.close();
});

test('a save that did not know of a view of that name saved meanwhile is refused, nothing replaced', async ({
  app,
}) => {
  await app.caller.views.save(beagles);
  await expect(app.caller.views.save({ ...beagles, filters: {}, columns: ['name'], replaces: false })).rejects.toThrow(
    'was saved in another window meanwhile',
  );
  expect(await app.caller.views.list({ type: 'dog' })).toMatchObject([{ name: 'Beagles', columns: ['name', 'breed'] }]);
  await app.caller.views.save({ ...beagles, columns: ['name'], replaces: true });
  expect(await app.caller.views.list({ type: 'dog' })).toMatchObject([{ name: 'Beagles', columns: ['name'] }]);
});

test('a view deleted in another window leaves the list here as it is, and says so', async ({ app, browser }) => {
  await app.caller.views.save(beagles);
  const context = await browser.newContext();
  const [first, second] = [await context.newPage(), await context.newPage()];
  for (const page of [first, second]) {
    await page.goto(app.url);
    await openLibrary(page, 'Dogs');
    await page.getByLabel('Saved view', { exact: true }).selectOption('Beagles');
  }
  await expect(second.getByRole('button', { name: 'Delete view' })).toBeVisible();

  await first.getByRole('button', { name: 'Delete view' }).click();
  await first.getByRole('dialog').getByRole('button', { name: 'Delete view' }).click();
  await expect(first.getByLabel('Saved view', { exact: true })).toHaveValue('');

  await expect(
    second.getByText(
      'The view “Beagles” was deleted in another window. This list stays as it is; save it as a view to keep it.',
    ),
  ).toBeVisible();
  await expect(second.getByRole('button', { name: 'Delete view' })).toHaveCount(0);
  // The list keeps the view's filter.
  await expect(second.getByLabel('Breed contains')).toHaveValue('beagle');
  await context.close();
});
