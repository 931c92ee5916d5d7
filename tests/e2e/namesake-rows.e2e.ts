import { v7 as uuidv7 } from 'uuid';
import type { EntityDocument } from '../../shared/entities';
import { expect, openLibrary, snap, test, type RunningApp } from './fixtures';

/**
 * Two live dogs named "Rex": Alex's Collie, made here, and Eddie's Husky, written as a sync pull
 * writes it (no uniqueness check on a pull; duplicate-names.e2e.ts makes such a pair through a real
 * server). Before, every list showed both as plain "Rex", so a person could open, link, restore or
 * delete the wrong one.
 */
async function twoRexes(app: RunningApp): Promise<{ collie: string; husky: string }> {
  const collie = (await app.caller.entities.create({
    type: 'dog',
    fields: { name: 'Rex', breed: 'Collie' },
  })) as EntityDocument<'dog'>;
  const eddie = { id: 'eddie', name: 'Eddie Editor' };
  const husky = uuidv7();
  await app.core.context.database.entities.dog.insert({
    ...collie,
    id: husky,
    rev: uuidv7(),
    name: 'rex',
    breed: 'Husky',
    createdAt: '2026-11-30T09:00:00.000Z',
    createdBy: eddie,
    updatedAt: '2026-11-30T09:00:00.000Z',
    updatedBy: eddie,
  } as never);
  await app.caller.entities.create({ type: 'dog', fields: { name: 'Max', breed: 'Beagle' } });
  return { collie: collie.id, husky };
}

const breedIn = (page: import('@playwright/test').Page) =>
  page.getByRole('form', { name: 'dog form' }).getByRole('textbox', { name: 'Breed' });

test('same-named dogs say what tells them apart in the library grid, in the rows and their checkboxes', async ({
  page,
  app,
}) => {
  await twoRexes(app);
  await page.goto(app.url);
  await openLibrary(page, 'Dogs');

  // The grid shows the breed as a column already, so each Rex says who added it and when.
  const grid = page.getByRole('grid', { name: 'Dogs' });
  await expect(grid.getByRole('row', { name: /rex/i })).toHaveCount(2);
  const eddies = grid.getByRole('row', { name: /rex \(Added by Eddie Editor on [^)]+\)/ });
  await expect(eddies).toHaveCount(1);
  await expect(grid.getByRole('row', { name: /Rex \(Added by Alex Admin on [^)]+\)/ })).toHaveCount(1);
  await expect(grid.getByRole('checkbox', { name: /^Select rex \(Added by Eddie Editor on [^)]+\)$/ })).toHaveCount(1);
  // A name of its own needs nothing more.
  await expect(grid.getByRole('row', { name: /Max/ })).not.toContainText('Added');
  await snap(page, 'namesake-grid');
  await eddies.click();
  await expect(breedIn(page)).toHaveValue('Husky');
});

test('same-named dogs say what tells them apart in the library search and the global search', async ({ page, app }) => {
  await twoRexes(app);
  await page.goto(app.url);
  await openLibrary(page, 'Dogs');

  // The library's search names the most telling field: the breed.
  await page.keyboard.press('Control+k');
  await page.keyboard.type('rex');
  const results = page.getByRole('region', { name: 'Search results' });
  await expect(results.getByTestId('search-hit')).toHaveCount(2);
  await expect(results.getByRole('button', { name: 'Rex (Breed: Collie)' })).toHaveCount(1);
  await results.getByRole('button', { name: 'rex (Breed: Husky)' }).click();
  await expect(breedIn(page)).toHaveValue('Husky');

  // The global search too, in the options' accessible names.
  const box = page.getByRole('combobox', { name: 'Search everything' });
  await box.fill('rex');
  const matches = page.getByRole('listbox', { name: 'Matches' });
  await expect(matches.getByRole('option')).toHaveCount(2);
  await expect(matches.getByRole('option', { name: /^rex \(Breed: Husky\) · Dog/ })).toHaveCount(1);
  await snap(page, 'namesake-global-search');
  await matches.getByRole('option', { name: /^Rex \(Breed: Collie\) · Dog/ }).click();
  await expect(breedIn(page)).toHaveValue('Collie');
});

test('the reference picker tells same-named dogs apart, so the one picked is the one linked', async ({ page, app }) => {
  const { husky } = await twoRexes(app);
  await page.goto(app.url);
  await openLibrary(page, 'Videos');
  await page.getByRole('button', { name: /^New video/ }).click();
  const form = page.getByRole('form', { name: 'video form' });
  await form.getByRole('textbox', { name: /^Title/ }).fill('Snow day');
  await form.getByRole('combobox', { name: 'Dogs' }).fill('rex');
  const options = form.getByRole('listbox', { name: 'Dogs matches' }).getByRole('option');
  await expect(options).toHaveCount(2);
  await expect(form.getByRole('option', { name: 'Rex (Breed: Collie)' })).toHaveCount(1);
  await form.getByRole('option', { name: 'rex (Breed: Husky)' }).click();
  await form.getByRole('button', { name: /^Save/ }).click();
  await expect(form.getByRole('status')).toHaveText('Saved.');
  const videos = await app.core.context.database.entities.video.find().exec();
  expect(videos.map((video) => video.toJSON().dogs)).toEqual([[husky]]);
});

test('the trash tells same-named entries apart, in the rows and in the names of their buttons', async ({
  page,
  app,
}) => {
  const { collie, husky } = await twoRexes(app);
  await app.caller.trash.trash({
    items: [
      { type: 'dog', id: collie },
      { type: 'dog', id: husky },
    ],
  });
  await page.goto(app.url);
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: /^Trash/ })
    .click();
  const table = page.getByRole('table', { name: 'Entries in the trash' });
  await expect(table.getByRole('row', { name: /Rex \(Breed: Collie\)/ })).toHaveCount(1);
  await expect(table.getByRole('row', { name: /rex \(Breed: Husky\)/ })).toHaveCount(1);
  await expect(table.getByRole('checkbox', { name: 'Select rex (Breed: Husky)' })).toHaveCount(1);
  await expect(table.getByRole('button', { name: 'Delete Rex (Breed: Collie) permanently' })).toHaveCount(1);
  await table.getByRole('button', { name: 'Restore rex (Breed: Husky)' }).click();
  // The question names the same one the row did.
  await page
    .getByRole('dialog', { name: 'Restore “rex (Breed: Husky)” from the trash?' })
    .getByRole('button', { name: 'Restore', exact: true })
    .click();
  await expect(table.getByRole('row', { name: /rex/i })).toHaveCount(1);
  const dogs = app.core.context.database.entities.dog;
  expect((await dogs.findOne(husky).exec())?.toJSON().deletedAt).toBeNull();
  expect((await dogs.findOne(collie).exec())?.toJSON().deletedAt).not.toBeNull();
});
