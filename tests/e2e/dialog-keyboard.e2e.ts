import { expect, openLibrary, test } from './fixtures';

test('an open dialog owns the keyboard: Esc closes only the dialog, Ctrl+S and Ctrl+N wait behind it', async ({
  page,
  app,
}) => {
  const person = await app.caller.entities.create({ type: 'person', fields: { name: 'Quentin Ref' } });
  await app.caller.entities.create({ type: 'video', fields: { title: 'Walk with Q', people: [person.id] } });
  await page.goto(app.url);
  await openLibrary(page, 'People');
  await page.getByRole('row', { name: /Quentin Ref/ }).click();
  const form = page.getByRole('form', { name: 'person form' });
  await form.getByLabel('Name', { exact: true }).fill('Quentin Typed');

  // The video links to Quentin, so moving him to the trash asks first.
  await page.getByRole('button', { name: 'Move to trash' }).click();
  const asking = page.getByRole('dialog', { name: /Other entries link to “Quentin Ref”/ });
  await expect(asking).toBeVisible();
  await page.keyboard.press('Control+s');
  await page.keyboard.press('Control+n');
  await page.keyboard.press('Escape');

  // Only the dialog closed: the same entry is still open with the typing, unsaved.
  await expect(asking).toBeHidden();
  await expect(page.getByRole('heading', { name: 'Edit person' })).toBeVisible();
  await expect(form.getByLabel('Name', { exact: true })).toHaveValue('Quentin Typed');
  await expect(form.getByRole('status')).not.toHaveText('Saved.');
  expect(await app.caller.entities.get({ type: 'person', id: person.id })).toMatchObject({ name: 'Quentin Ref' });

  // With the dialog gone the shortcuts are the page's again.
  await page.keyboard.press('Control+s');
  await expect(form.getByRole('status')).toHaveText('Saved.');
  await page.keyboard.press('Escape');
  await expect(form).toBeHidden();
});
