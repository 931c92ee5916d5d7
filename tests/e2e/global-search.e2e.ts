import AxeBuilder from '@axe-core/playwright';
import { expect, openLibrary, test } from './fixtures';

test('global search finds any text, filters by type, says when nothing matches, and stays readable', async ({
  page,
  app,
}) => {
  await app.caller.entities.create({
    type: 'video',
    fields: { title: 'Harbour walk', description: 'Dogs swam below Skógafoss.' },
  });
  await app.caller.entities.create({ type: 'dog', fields: { name: 'Skogi', breed: 'Beagle' } });
  await page.goto(app.url);
  const box = page.getByRole('combobox', { name: 'Search everything' });
  const matches = page.getByRole('listbox', { name: 'Matches' });

  // A word of a description, typed without its accent and with a typo.
  await box.fill('skogafoos');
  await expect(matches.getByRole('option')).toHaveCount(1);
  await expect(matches.getByRole('option').first()).toContainText('Harbour walk');
  await expect(matches.locator('mark')).toHaveText('Skógafoss');

  // The type label of the highlighted option meets WCAG AA contrast, in both themes.
  await box.fill('sko');
  await expect(matches.getByRole('option')).toHaveCount(2);
  await expect(matches.getByRole('option').first()).toHaveAttribute('aria-selected', 'true');
  for (const theme of ['light', 'dark']) {
    await page.evaluate(`document.documentElement.dataset.theme = '${theme}'`);
    const scan = await new AxeBuilder({ page }).include('#global-search-list').withRules(['color-contrast']).analyze();
    expect(
      scan.violations.flatMap((v) => v.nodes.map((node) => node.target.join(' '))),
      `${theme} theme`,
    ).toEqual([]);
  }

  // Only dogs.
  await page.getByRole('combobox', { name: 'Search in' }).selectOption({ label: 'Dogs' });
  await expect(matches.getByRole('option')).toHaveCount(1);
  await expect(matches.getByRole('option').first()).toContainText('Skogi');

  // Nothing: said in words, naming the query and the type.
  await box.fill('harbour');
  await expect(page.getByRole('status').filter({ hasText: 'No matches' })).toHaveText(
    'No matches for “harbour” among dogs.',
  );
  await expect(matches).toHaveCount(0);
  await page.getByRole('combobox', { name: 'Search in' }).selectOption({ label: 'All types' });
  await expect(matches.getByRole('option').first()).toContainText('Harbour walk');
  await expect(page.getByRole('status').filter({ hasText: 'No matches' })).toHaveCount(0);
});

test('a search longer than the limit says so with the limit, in the header and in a library, and asks nothing', async ({
  page,
  app,
}) => {
  await app.caller.entities.create({ type: 'dog', fields: { name: 'Harbour Rex' } });
  await page.goto(app.url);
  const pasted = 'harbour '.repeat(375) + 'rex';
  const tooLong = `This search is ${pasted.length.toLocaleString('en')} characters long; a search can be at most 200 characters. Shorten it to a few words.`;

  const box = page.getByRole('combobox', { name: 'Search everything' });
  await box.fill(pasted);
  await expect(page.getByRole('alert').filter({ hasText: 'This search is' })).toHaveText(tooLong);
  await expect(page.getByRole('listbox', { name: 'Matches' })).toHaveCount(0);
  await box.fill('harbour rex');
  await expect(page.getByRole('listbox', { name: 'Matches' }).getByRole('option')).toHaveCount(1);
  await expect(page.getByRole('alert').filter({ hasText: 'This search is' })).toHaveCount(0);
  await box.fill('');

  await openLibrary(page, 'Dogs');
  await page.getByLabel('Search dogs').fill(pasted);
  await expect(page.getByRole('alert').filter({ hasText: 'This search is' })).toHaveText(tooLong);

  // Any other caller of the API gets the same words.
  await expect(app.caller.entities.search({ query: pasted })).rejects.toThrow(tooLong);
});
