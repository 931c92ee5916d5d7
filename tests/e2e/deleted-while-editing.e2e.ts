import { expect, openLibrary, test, type RunningApp } from './fixtures';

/**
 * An entry deleted permanently (by an admin here or on another device) while someone has it open
 * with unsaved typing: the editor says so, keeps what was typed, and offers to save it as a new
 * entry or discard it, also after a reload. Before, the editor still said "in the trash", a save
 * answered with the entry's raw id, and after a reload the typing was out of reach.
 */

async function deletePermanently(app: RunningApp, id: string): Promise<void> {
  await app.caller.trash.trash({ items: [{ type: 'series', id }] });
  await app.caller.trash.deletePermanently({ items: [{ type: 'series', id }], confirm: true });
}

test('an entry deleted permanently while open keeps the typing and saves it as a new entry', async ({ page, app }) => {
  const series = await app.caller.entities.create({ type: 'series', fields: { name: 'Trail Notes' } });
  await page.goto(app.url);
  await openLibrary(page, 'Series');
  await page.getByRole('row', { name: /Trail Notes/ }).click();
  const form = page.getByRole('form', { name: 'series form' });
  await form.getByRole('textbox', { name: 'Description' }).fill('Three weeks of careful notes');
  await expect(form.getByRole('status')).toContainText('Unsaved changes');

  await deletePermanently(app, series.id);

  const gone = form.getByRole('alert');
  await expect(gone).toContainText('This series was deleted permanently');
  await expect(gone).toContainText('save them as a new series');
  await expect(form.getByText('This entry is in the trash.')).toBeHidden();
  await expect(form.getByRole('button', { name: 'Move to trash' })).toBeHidden();
  await expect(page.getByText(series.id)).toHaveCount(0);
  await expect(form.getByRole('textbox', { name: 'Description' })).toHaveValue('Three weeks of careful notes');

  await form.getByRole('button', { name: /^Save as a new series/ }).click();
  await expect(form.getByRole('status')).toHaveText('Saved as a new series.');
  const [copy] = (await app.caller.entities.list({ type: 'series' })).items;
  expect(copy).toMatchObject({ name: 'Trail Notes', description: 'Three weeks of careful notes' });
  expect(copy!.id).not.toBe(series.id);
  await expect(form.getByRole('alert')).toHaveCount(0);
});

test('after a reload, the typing on an entry deleted permanently is still offered, and can be discarded', async ({
  page,
  app,
}) => {
  const series = await app.caller.entities.create({ type: 'series', fields: { name: 'Slow Travel' } });
  await page.goto(app.url);
  await openLibrary(page, 'Series');
  await page.getByRole('row', { name: /Slow Travel/ }).click();
  const form = page.getByRole('form', { name: 'series form' });
  await form.getByRole('textbox', { name: 'Description' }).fill('Notes from the night train');
  await expect(form.getByRole('status')).toContainText('Unsaved changes');
  // The page goes away with the draft kept; the entry is deleted meanwhile; its link opens it again.
  await page.goto('about:blank');
  await deletePermanently(app, series.id);
  await page.goto(`${new URL(app.url).origin}/#/entry/series/${series.id}`);
  const reopened = page.getByRole('form', { name: 'series form' });
  await expect(reopened.getByRole('alert')).toContainText('This series was deleted permanently');
  await expect(reopened.getByRole('textbox', { name: 'Description' })).toHaveValue('Notes from the night train');

  await reopened.getByRole('button', { name: 'Discard changes' }).click();
  const question = page.getByRole('dialog', { name: 'Discard your changes to this series?' });
  await expect(question).toContainText(
    'This series was deleted permanently, so there is no saved version to go back to',
  );
  await question.getByRole('button', { name: 'Discard', exact: true }).click();
  await expect(reopened).toBeHidden();
  expect((await app.caller.entities.list({ type: 'series' })).items).toHaveLength(0);
});
