import type { Page } from '@playwright/test';
import { expect, openLibrary, snap, test, type RunningApp } from './fixtures';
import { expectNoAxeViolations } from './axe';

/** A small catalog a curator knows by what is in it. */
async function loadCatalog(app: RunningApp) {
  const create = async (type: 'video' | 'dog' | 'person' | 'trip' | 'series', fields: object) =>
    (await app.caller.entities.create({ type, fields } as never)).id;
  const biscuit = await create('dog', { name: 'Biscuit', breed: 'Beagle' });
  const rex = await create('dog', { name: 'Rex', breed: 'Collie' });
  const ann = await create('person', { name: 'Ann Walker' });
  const iceland = await create('trip', { name: 'Iceland 2025' });
  const swim = await create('video', {
    title: 'Cold morning',
    description: 'The dogs swam below Skogafoss before breakfast.',
    publishedAt: '2025-06-01',
    duration: '45:00',
    dogs: [biscuit, rex],
    people: [ann],
    tripId: iceland,
    episode: 2,
  });
  await create('video', {
    title: 'Harbour walk',
    publishedAt: '2025-02-10',
    duration: '3:05',
    dogs: [biscuit],
    episode: 1,
  });
  await create('video', { title: 'Old beach day', publishedAt: '2024-08-15', dogs: [biscuit] });
  await create('video', { title: 'Rex alone', publishedAt: '2025-03-03', dogs: [rex] });
  return { biscuit, rex, ann, iceland, swim };
}

/** What the page's own globals hold, for code run in the page (the e2e tests compile without DOM types). */
interface PageGlobal {
  document: { activeElement: unknown };
}

/** The catalog loaded, the app open on one library. */
async function openWithCatalog(page: Page, app: RunningApp, library: string) {
  await loadCatalog(app);
  await page.goto(app.url);
  await openLibrary(page, library);
}

const grid = (page: Page, name = 'Videos') => page.getByRole('grid', { name });
const dataRows = (page: Page) =>
  grid(page)
    .getByRole('row')
    .filter({ has: page.getByRole('gridcell') });

test('search finds a video by words in its description', async ({ page, app }) => {
  await openWithCatalog(page, app, 'Videos');
  await page.getByLabel('Search videos').fill('swam below skogafoss');
  const hits = page.getByRole('region', { name: 'Search results' }).getByTestId('search-hit');
  await expect(hits).toHaveCount(1);
  await expect(hits.first()).toContainText('Cold morning');
  await hits.first().click();
  await expect(page.getByRole('heading', { name: 'Edit video' })).toBeVisible();
});

test('filters by a link, a date range and a duration range combine; an empty filtered list says filters hide entries', async ({
  page,
  app,
}) => {
  await openWithCatalog(page, app, 'Videos');
  await expect(dataRows(page)).toHaveCount(4);

  await page.getByRole('combobox', { name: 'With dog' }).fill('bisc');
  await page.getByRole('option', { name: 'Biscuit' }).click();
  await expect(dataRows(page)).toHaveCount(3);
  await page.getByLabel('Published from').fill('2025');
  await page.getByLabel('Published to').fill('2025');
  await expect(dataRows(page)).toHaveCount(2);
  await expect(grid(page)).not.toContainText('Old beach day');
  await expect(grid(page)).not.toContainText('Rex alone');
  // Longer than 30 minutes; a length not yet complete says how to write it and changes nothing.
  await page.getByLabel('Duration from').fill('30:0x');
  await expect(page.getByRole('alert')).toContainText('Write a length as MM:SS');
  await expect(dataRows(page)).toHaveCount(2);
  await page.getByLabel('Duration from').fill('30:00');
  await expect(dataRows(page)).toHaveCount(1);
  await expect(dataRows(page).first()).toContainText('Cold morning');

  // Nothing from 2030: the list says the filters hide the videos, and clears them.
  await page.getByLabel('Published from').fill('2030');
  const notice = page.getByRole('status').filter({ hasText: 'No videos match these filters' });
  await expect(notice).toContainText('they hide all 4 videos');
  await notice.getByRole('button', { name: 'Clear filters' }).click();
  await expect(dataRows(page)).toHaveCount(4);
  await expect(page.getByLabel('Published from')).toHaveValue('');

  // Trash state: a trashed video shows only when asked for.
  await app.caller.trash.trash({
    items: [
      {
        type: 'video',
        id: (await app.caller.entities.list({ type: 'video', filters: { title: 'Rex alone' } })).items[0]!.id,
      },
    ],
  });
  await expect(dataRows(page)).toHaveCount(3);
  await page.getByLabel('Trash', { exact: true }).selectOption({ label: 'In the trash' });
  await expect(dataRows(page)).toHaveCount(1);
  await expect(grid(page)).toContainText('Rex alone');
  await page.getByLabel('Trash', { exact: true }).selectOption({ label: 'Both' });
  await expect(dataRows(page)).toHaveCount(4);
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(dataRows(page)).toHaveCount(3);
});

test('a saved view (filters, sort, columns with linked names) comes back after a reload', async ({ page, app }) => {
  await openWithCatalog(page, app, 'Videos');

  // Columns: add Dogs and Episode, move Dogs before Published.
  await page.getByText('Columns', { exact: true }).click();
  const columns = page.getByRole('group', { name: 'Columns' });
  await columns.getByRole('checkbox', { name: 'Dogs' }).check();
  await columns.getByRole('checkbox', { name: 'Episode' }).check();
  await columns.getByRole('button', { name: 'Move Dogs up' }).click();
  await columns.getByRole('button', { name: 'Move Dogs up' }).click();
  await page.getByText('Columns', { exact: true }).click();
  await expect(grid(page).getByRole('columnheader')).toHaveText([
    'Selected',
    /Title/,
    'Dogs',
    /Published/,
    /Duration/,
    'Episode',
  ]);

  await page.getByRole('combobox', { name: 'With dog' }).fill('rex');
  await page.getByRole('option', { name: 'Rex' }).click();
  await grid(page)
    .getByRole('button', { name: /^Published/ })
    .click();
  await grid(page)
    .getByRole('button', { name: /^Published/ })
    .click();
  await expect(dataRows(page)).toHaveCount(2);
  await expect(dataRows(page).first()).toContainText('Cold morning');
  await expect(dataRows(page).first()).toContainText('Biscuit, Rex');

  await page.getByRole('button', { name: 'Save view…' }).click();
  await page.getByLabel('View name').fill('Rex, newest first');
  await page.getByRole('form', { name: 'Save view' }).getByRole('button', { name: 'Save' }).click();
  await expect(page.getByLabel('Saved view', { exact: true })).toHaveValue('Rex, newest first');

  // Leaving and coming back keeps the list as it was.
  await openLibrary(page, 'Dogs');
  await openLibrary(page, 'Videos');
  await expect(dataRows(page)).toHaveCount(2);

  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(dataRows(page)).toHaveCount(4);
  await page.reload();
  await expect(dataRows(page)).toHaveCount(4);
  await page.getByLabel('Saved view', { exact: true }).selectOption('Rex, newest first');
  await expect(dataRows(page)).toHaveCount(2);
  await expect(dataRows(page).first()).toContainText('Cold morning');
  await expect(grid(page).getByRole('columnheader')).toHaveText([
    'Selected',
    /Title/,
    'Dogs',
    /Published ▼/,
    /Duration/,
    'Episode',
  ]);
  await expect(page.getByRole('combobox', { name: 'With dog' }).locator('..')).toContainText('Rex');
  await snap(page, 'find-saved-view');
});

test('back-links: a dog shows the videos it appears in, and they open; link chips open their entry', async ({
  page,
  app,
}) => {
  await openWithCatalog(page, app, 'Dogs');
  await grid(page, 'Dogs')
    .getByRole('row', { name: /Biscuit/ })
    .click();
  const backLinks = page.getByRole('region', { name: 'Back-links' });
  await expect(backLinks.getByRole('heading')).toHaveText('Appears in 3 videos.');
  await expect(backLinks.getByRole('link')).toHaveText(['Cold morning', 'Harbour walk', 'Old beach day']);
  await backLinks.getByRole('link', { name: 'Cold morning' }).click();
  await expect(page.getByRole('heading', { name: 'Edit video' })).toBeVisible();
  const form = page.getByRole('form', { name: 'video form' });
  await expect(form.getByLabel('Title', { exact: true })).toHaveValue('Cold morning');

  // The chip of a linked person is a link to that person.
  await form.getByRole('link', { name: 'Ann Walker' }).click();
  await expect(page.getByRole('heading', { name: 'Edit person' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Back-links' }).getByRole('heading')).toHaveText('Appears in 1 video.');
  await snap(page, 'find-back-links');
});

test('the grid is keyboard-complete: one tab stop, arrows, Home/End, Space selects, Enter opens', async ({
  page,
  app,
}) => {
  await openWithCatalog(page, app, 'Videos');
  await expect(dataRows(page)).toHaveCount(4);
  const videos = grid(page);

  // Tab from the search box until the grid has focus; one more Tab leaves it.
  const gridHasFocus = () =>
    videos.evaluate((el) => el === (globalThis as unknown as PageGlobal).document.activeElement);
  await page.getByLabel('Search videos').focus();
  for (let i = 0; i < 40 && !(await gridHasFocus()); i++) await page.keyboard.press('Tab');
  await expect(videos).toBeFocused();
  // The active cell is the one the grid names (aria-activedescendant).
  const activeCell = async () => page.locator(`[id="${await videos.getAttribute('aria-activedescendant')}"]`);
  const activeText = async () => (await (await activeCell()).textContent()) ?? '';
  await expect.poll(activeText).toBe('Cold morning');
  // It shows a focus ring that is not clipped (drawn inside the cell).
  await expect(await activeCell()).toHaveCSS('outline-style', 'solid');
  await expect(await activeCell()).toHaveCSS('outline-width', '3px');
  await expect(await activeCell()).toHaveCSS('outline-offset', '-3px');

  await page.keyboard.press('ArrowDown');
  await expect.poll(activeText).toBe('Harbour walk');
  await page.keyboard.press('End');
  await expect.poll(activeText).toBe('3:05'); // Duration, the last column.
  await page.keyboard.press('Home');
  await page.keyboard.press('Space');
  await expect(dataRows(page).nth(1)).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByText('1 selected')).toBeVisible();
  await page.keyboard.press('Control+End');
  await page.keyboard.press('ArrowRight');
  await expect.poll(activeText).toBe('Rex alone');
  await page.keyboard.press('Control+Home');
  await page.keyboard.press('ArrowUp');
  // On a column header, Enter sorts by it.
  await page.keyboard.press('Enter');
  await expect(videos.getByRole('columnheader', { name: /Title/ })).toHaveAttribute('aria-sort', 'descending');
  await expect(dataRows(page).first()).toContainText('Rex alone');
  await page.keyboard.press('ArrowDown');
  await expect.poll(activeText).toBe('Rex alone');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Edit video' })).toBeVisible();
  await expect(page.getByRole('form', { name: 'video form' }).getByLabel('Title', { exact: true })).toHaveValue(
    'Rex alone',
  );

  await videos.focus();
  await page.keyboard.press('Tab');
  await expect(videos).not.toBeFocused();
  expect(await gridHasFocus()).toBe(false);
  await expect(videos.locator(':focus')).toHaveCount(0);
});

for (const theme of ['Light', 'Dark']) {
  test(`axe finds no accessibility violations on any screen, ${theme.toLowerCase()} theme`, async ({ page, app }) => {
    test.setTimeout(600_000);
    await loadCatalog(app);
    await page.goto(app.url);
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('button', { name: /^Settings/ }).click();
    await page.getByRole('radio', { name: theme }).check();
    await expectNoAxeViolations(page, `Settings (${theme})`);
    for (const screen of [
      'Home',
      'Videos',
      'People',
      'Dogs',
      'Trips',
      'Series',
      'Trash',
      'Audit',
      'Conflicts',
      'Sync',
      'Import and export',
      'Team',
    ]) {
      await nav.getByRole('button', { name: new RegExp(`^${screen}`) }).click();
      await expect(page.locator('main')).not.toContainText('Loading…');
      await expectNoAxeViolations(page, `${screen} (${theme})`);
    }
    // The editor with its back-links, and a list its filters empty.
    await openLibrary(page, 'Dogs');
    await grid(page, 'Dogs')
      .getByRole('row', { name: /Biscuit/ })
      .click();
    await expect(page.getByRole('region', { name: 'Back-links' })).toBeVisible();
    await expectNoAxeViolations(page, `editor (${theme})`);
    await openLibrary(page, 'Videos');
    await page.getByLabel('Published from').fill('2030');
    await expect(page.getByText('No videos match these filters')).toBeVisible();
    await expectNoAxeViolations(page, `empty filtered list (${theme})`);
  });
}
