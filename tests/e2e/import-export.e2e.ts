import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { expect, openLibrary, openTransfer, snap, test } from './fixtures';

test('imports videos linking people and dogs by name, leaves the bad row to download and fix', async ({
  page,
  app,
}) => {
  const ann = await app.caller.entities.create({ type: 'person', fields: { name: 'Ann Lee' } });
  await app.caller.entities.create({ type: 'dog', fields: { name: 'Rex' } });
  await page.goto(app.url);
  await openTransfer(page);
  const panel = page.getByRole('region', { name: 'Import' });
  await panel.getByLabel('Type').selectOption('video');

  // The template and the rules of every column, derived from the video's definition.
  await panel.getByText('Columns of a video file and a template').click();
  await expect(panel.getByRole('table', { name: 'Columns of videos' })).toContainText('Names of people');
  const template = page.waitForEvent('download');
  await panel.getByRole('button', { name: 'Download the videos template (CSV)' }).click();
  const templateText = await readFile((await (await template).path())!, 'utf8');
  expect(templateText.split(/\r?\n/)[0]).toMatch(/^title,youtubeId,.*people,personIds,dogs,dogIds,trip,tripId/);

  const csv = 'title,people,dogs,colour\nSwim,ann lee,REX,blue\nHike,Nobody,,\n';
  await panel
    .getByLabel('File to import')
    .setInputFiles({ name: 'videos.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await expect(panel.getByRole('status').first()).toContainText('2 rows, 1 good, 1 with problems');
  await expect(panel.getByRole('list', { name: 'Warnings' })).toContainText('Column "colour"');
  await expect(panel.getByRole('table', { name: 'Bad rows' })).toContainText('No person named "Nobody" exists');
  const preview = panel.getByRole('table', { name: 'Preview of videos to import' });
  await expect(preview).toContainText('Ann Lee');
  await expect(preview).not.toContainText(ann.id);
  await snap(page, 'import-by-name');

  const bad = page.waitForEvent('download');
  await panel.getByRole('button', { name: 'Download the 1 bad row to fix' }).click();
  const badFile = await bad;
  expect(badFile.suggestedFilename()).toBe('videos-bad-rows.csv');
  const badText = await readFile((await badFile.path())!, 'utf8');
  expect(badText.split(/\r?\n/).slice(0, 2)).toEqual([
    'title,people,dogs,colour,error',
    'Hike,Nobody,,,"People: No person named ""Nobody"" exists; check the spelling, or add the person first."',
  ]);

  await panel.getByRole('button', { name: 'Import the 1 good row' }).click();
  await expect(panel.getByRole('status').filter({ hasText: 'Imported 1 video; 1 bad row left out.' })).toBeVisible();

  // The history names the import in words, the field by its label and the link by its title.
  await openLibrary(page, 'Videos');
  await page.getByRole('row', { name: /Swim/ }).click();
  await page.getByRole('button', { name: 'History' }).click();
  const versions = page
    .getByRole('complementary', { name: /^History of/ })
    .getByRole('list', { name: 'Versions' })
    .getByRole('listitem');
  await expect(versions.first()).toContainText('Imported');
  await expect(versions.first().getByRole('row', { name: /People/ })).toContainText('Ann Lee');
  await expect(versions.first()).not.toContainText(ann.id);
  await snap(page, 'history-names');
});

test('exports the filtered list or the selection from the library, as Excel with names and ids', async ({
  page,
  app,
}) => {
  const ann = await app.caller.entities.create({ type: 'person', fields: { name: 'Ann Lee' } });
  for (const title of ['Swim', 'Hike', 'Walk'])
    await app.caller.entities.create({ type: 'video', fields: { title, people: title === 'Swim' ? [ann.id] : [] } });
  await page.goto(app.url);
  await openLibrary(page, 'Videos');
  await page.getByLabel('Select Swim').check();
  await page.getByRole('button', { name: 'Export…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Export videos' });
  await expect(dialog.getByLabel('The selected video', { exact: true })).toBeChecked();
  await dialog.getByLabel('Format').selectOption('xlsx');
  const download = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Export', exact: true }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/\.xlsx$/);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile((await file.path())!);
  const rows = workbook.getWorksheet('Videos')!.getSheetValues().filter(Boolean) as unknown[][];
  const header = rows[0]!.slice(1);
  expect(rows).toHaveLength(2);
  const swim = Object.fromEntries(header.map((column, i) => [column, rows[1]![i + 1]]));
  expect(swim).toMatchObject({ title: 'Swim', people: 'Ann Lee', personIds: ann.id });
  await expect(dialog.getByRole('status')).toContainText('Exported 1 row.');
});

test('the import check names fields by label and counts in words: 1 good row, 3 good rows, 1 person', async ({
  page,
  app,
}) => {
  await page.goto(app.url);
  await openTransfer(page);
  const panel = page.getByRole('region', { name: 'Import' });
  await panel.getByLabel('Type').selectOption('person');
  const pick = (name: string, csv: string) =>
    panel.getByLabel('File to import').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(csv) });
  const badRows = panel.getByRole('table', { name: 'Bad rows' });
  const fieldOfFirstBadRow = badRows.getByRole('row').nth(1).getByRole('cell').nth(1);

  // One good row, one with a name the file already used: the field by its label, one of each in the singular.
  await pick('people.csv', 'name,bio\nAda Lovelace,first\nada lovelace,second\n');
  await expect(panel.getByRole('status').first()).toContainText('2 rows, 1 good, 1 with problems');
  await expect(badRows).toContainText('is already used on line 2 of this file');
  await expect(fieldOfFirstBadRow).toHaveText('Name');
  await expect(panel.getByRole('button', { name: 'Import the 1 good row', exact: true })).toBeEnabled();
  await expect(panel.getByRole('button', { name: 'Download the 1 bad row to fix', exact: true })).toBeEnabled();

  // Three good rows: plural; a field whose column reads otherwise shows the column beside its label.
  await pick('more.csv', 'name,photoVisible\nAnn,yes\nBob,no\nCid,yes\nDee,maybe\n');
  await expect(fieldOfFirstBadRow).toHaveText('Photo visible (column photoVisible)');
  await panel.getByRole('button', { name: 'Import the 3 good rows', exact: true }).click();
  await expect(panel.getByRole('status').filter({ hasText: 'Imported' })).toHaveText(
    /^Imported 3 people; 1 bad row left out\./,
  );

  // A file of one valid row: "Import 1 person", "Imported 1 person."
  await pick('one.csv', 'name\nZed\n');
  await panel.getByRole('button', { name: 'Import 1 person', exact: true }).click();
  await expect(panel.getByRole('status').filter({ hasText: 'Imported' })).toHaveText(/^Imported 1 person\./);
});
