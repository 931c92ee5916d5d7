import { readFile } from 'node:fs/promises';
import { SAMPLE_CATALOG_COUNTS, generateCatalog } from '../../shared/sample';
import { expect, openLibrary, openTransfer, snap, test, type RunningApp } from './fixtures';

/** Loads a small catalog through the API, as an import would. */
async function loadSample(app: RunningApp): Promise<void> {
  const catalog = generateCatalog({ ...SAMPLE_CATALOG_COUNTS, video: 40 }, 7);
  const byOldId = new Map<string, string>();
  for (const type of ['person', 'dog', 'trip', 'series'] as const) {
    for (const doc of catalog[type]) {
      const {
        id,
        rev: _rev,
        createdAt: _ca,
        createdBy: _cb,
        updatedAt: _ua,
        updatedBy: _ub,
        deletedAt: _da,
        deletedBy: _db,
        ...fields
      } = doc as Record<string, unknown>;
      const created = await app.caller.entities.create({ type, fields } as never);
      byOldId.set(String(id), (created as { id: string }).id);
    }
  }
  for (const doc of catalog.video) {
    const { people, dogs, tripId, seriesId, title, publishedAt, duration } = doc;
    await app.caller.entities.create({
      type: 'video',
      fields: {
        title,
        ...(publishedAt ? { publishedAt } : {}),
        ...(duration ? { duration } : {}),
        people: people.map((p) => byOldId.get(p)!).filter(Boolean),
        dogs: dogs.map((d) => byOldId.get(d)!).filter(Boolean),
        ...(tripId ? { tripId: byOldId.get(tripId)! } : {}),
        ...(seriesId ? { seriesId: byOldId.get(seriesId)! } : {}),
      },
    });
  }
}

test('every screen renders with data, and the dark theme applies', async ({ page, app }) => {
  await loadSample(app);
  await page.goto(app.url);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('button', { name: /^Videos/ })).toContainText('40');
  await expect(page.getByRole('img', { name: /edits in the last 90 days/ })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Recent activity' })).toContainText('Alex Admin');
  await snap(page, 'screen-home');
  await openLibrary(page, 'Videos');
  await snap(page, 'screen-library');
  await page.getByRole('grid', { name: 'Videos' }).getByRole('row').nth(1).click();
  await snap(page, 'screen-editor');
  await page.keyboard.press('Escape');
  for (const [label, name] of [
    ['Trash', 'screen-trash'],
    ['Audit', 'screen-audit'],
    ['Conflicts', 'screen-conflicts'],
    ['Import and export', 'screen-import-export'],
    ['Sync', 'screen-sync'],
    ['Team', 'screen-team'],
    ['Settings', 'screen-settings'],
  ] as const) {
    await nav.getByRole('button', { name: new RegExp(`^${label}`) }).click();
    await expect(page.getByRole('heading', { level: 2, name: label })).toBeVisible();
    await snap(page, name);
  }
  await page.getByRole('radio', { name: 'Dark' }).check();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await snap(page, 'screen-settings-dark');
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
});

test('settings: profile name and trash retention are saved, bad values explained', async ({ page, app }) => {
  await page.goto(app.url);
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: /^Settings/ })
    .click();
  const form = page.getByRole('form', { name: 'Settings' });
  await form.getByLabel(/Trash retention/).fill('0');
  await form.getByRole('button', { name: 'Save settings' }).click();
  await expect(form.getByLabel(/Trash retention/)).toHaveAccessibleDescription(
    'Trash retention must be at least 1 day.',
  );
  await form.getByLabel(/Profile name/).fill('Robin');
  await form.getByLabel(/Trash retention/).fill('14');
  await form.getByRole('button', { name: 'Save settings' }).click();
  await expect(form.getByRole('status')).toHaveText('Settings saved.');
  expect(await app.caller.settings.get()).toMatchObject({ profileName: 'Robin', trashRetentionDays: 14 });
});

test('import shows a preview and every bad row before writing; export downloads the file', async ({ page, app }) => {
  await page.goto(app.url);
  await openTransfer(page);
  const panel = page.getByRole('region', { name: 'Import' });
  await panel.getByLabel('Type').selectOption('dog');
  const bad = 'name,breed,birthYear\nRex,Collie,2019\n,Poodle,2020\nFido,,1800\n';
  await panel
    .getByLabel('File to import')
    .setInputFiles({ name: 'dogs.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
  const badRows = panel.getByRole('table', { name: 'Bad rows' });
  await expect(badRows).toContainText('Name is required.');
  await expect(badRows.getByRole('row', { name: /Birth year cannot be before 1950/ })).toContainText('4');
  await expect(panel.getByRole('button', { name: 'Import the 1 good row' })).toBeEnabled();
  await snap(page, 'import-bad-rows');

  const good = 'name,breed,birthYear\nRex,Collie,2019\nFido,Beagle,2021\n';
  await panel
    .getByLabel('File to import')
    .setInputFiles({ name: 'dogs.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
  await expect(panel.getByRole('table', { name: 'Preview of dogs to import' })).toContainText('Beagle');
  await panel.getByRole('button', { name: 'Import 2 dogs' }).click();
  await expect(panel.getByRole('status').filter({ hasText: 'Imported 2 dogs' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /^Dogs/ })).toContainText(
    '2',
  );

  const exportPanel = page.getByRole('region', { name: 'Export' });
  await exportPanel.getByLabel('Type').selectOption('dog');
  await exportPanel.getByLabel('Format').selectOption('json');
  const download = page.waitForEvent('download');
  await exportPanel.getByRole('button', { name: 'Export' }).click();
  const exported = JSON.parse(await readFile((await (await download).path())!, 'utf8')) as {
    items: { name: string }[];
  };
  expect(exported.items.map((d) => d.name).sort()).toEqual(['Fido', 'Rex']);
});

test('the library is usable with the keyboard alone', async ({ page, app }) => {
  await app.caller.entities.create({ type: 'series', fields: { name: 'Keyboard Tales' } });
  await page.goto(app.url);
  await openLibrary(page, 'Series');
  await page.keyboard.press('/');
  await expect(page.getByLabel('Search series')).toBeFocused();
  await page.keyboard.type('keyb');
  await expect(page.getByTestId('search-hit')).toHaveText(['Keyboard Tales']);
  await page.getByTestId('search-hit').focus();
  await page.keyboard.press('Enter');
  const form = page.getByRole('form', { name: 'series form' });
  await expect(form.getByLabel('Name', { exact: true })).toHaveValue('Keyboard Tales');
  await form.getByLabel('Description').focus();
  await page.keyboard.type('Told with keys only');
  await page.keyboard.press('Control+s');
  await expect(form.getByRole('status')).toHaveText('Saved.');
  await page.keyboard.press('Escape');
  await expect(form).toBeHidden();
  await page.keyboard.press('Control+n');
  await expect(page.getByRole('form', { name: 'series form' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'New series' })).toBeVisible();
});
