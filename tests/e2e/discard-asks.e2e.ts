import { expect, openLibrary, test } from './fixtures';

/**
 * The editor's "Discard changes" asks first: it names each field the typing changed, by label, with the
 * typed value and the saved value it goes back to (or says that a new entry is dropped whole). Cancel keeps
 * the typing and the focus; confirming discards. Before, the click threw the typing away at once.
 */
test('Discard changes names what it throws away, and Cancel keeps the typing', async ({ page, app }) => {
  const rex = await app.caller.entities.create({ type: 'dog', fields: { name: 'Rex', breed: 'Collie' } });
  await page.goto(app.url);
  await openLibrary(page, 'Dogs');
  await page.getByRole('row', { name: /Rex/ }).click();
  const form = page.getByRole('form', { name: 'dog form' });
  await form.getByLabel('Breed').fill('Beagle');
  await form.getByLabel('Color').fill('Brown');
  await expect(form.getByRole('status')).toContainText('Unsaved changes');

  const discard = form.getByRole('button', { name: 'Discard changes' });
  await discard.click();
  const question = page.getByRole('dialog', { name: 'Discard your changes to this dog?' });
  await expect(question).toContainText('goes back to its saved value');
  const changes = question.getByRole('table', { name: 'Changes to discard' });
  await expect(changes.getByRole('row', { name: /^Breed/ })).toHaveText(/Breed\s*Beagle\s*Collie/);
  await expect(changes.getByRole('row', { name: /^Color/ })).toHaveText(/Color\s*Brown\s*—/);
  await expect(changes.getByRole('row')).toHaveCount(3);

  // Cancel: the typing stays, and so does the focus.
  await question.getByRole('button', { name: 'Cancel' }).click();
  await expect(question).toBeHidden();
  await expect(discard).toBeFocused();
  await expect(form.getByLabel('Breed')).toHaveValue('Beagle');
  await expect(form.getByLabel('Color')).toHaveValue('Brown');
  await expect(form.getByRole('status')).toContainText('Unsaved changes');

  // Confirmed: the form shows the dog as saved; nothing was written.
  await discard.click();
  await question.getByRole('button', { name: 'Discard', exact: true }).click();
  await expect(question).toBeHidden();
  await expect(form.getByRole('status')).toHaveText('Draft discarded.');
  await expect(form.getByLabel('Breed')).toHaveValue('Collie');
  await expect(form.getByLabel('Color')).toHaveValue('');
  expect(await app.caller.entities.get({ type: 'dog', id: rex.id })).toMatchObject({ breed: 'Collie' });
});

test('Discard changes on a new entry says the whole entry is dropped', async ({ page, app }) => {
  await page.goto(app.url);
  await openLibrary(page, 'Dogs');
  await page.getByRole('button', { name: /^New dog/ }).click();
  const form = page.getByRole('form', { name: 'dog form' });
  await form.getByLabel('Name').fill('Bella');
  await form.getByLabel('Breed').fill('Poodle');

  await form.getByRole('button', { name: 'Discard changes' }).click();
  const question = page.getByRole('dialog', { name: 'Discard this new dog?' });
  await expect(question).toContainText('discarding drops the whole new dog');
  await expect(question.getByRole('row', { name: /^Name/ })).toHaveText(/Name\s*Bella/);
  await question.getByRole('button', { name: 'Cancel' }).click();
  await expect(form.getByLabel('Name')).toHaveValue('Bella');

  await form.getByRole('button', { name: 'Discard changes' }).click();
  await question.getByRole('button', { name: 'Discard the new dog' }).click();
  await expect(form.getByLabel('Name')).toHaveValue('');
  expect((await app.caller.entities.list({ type: 'dog' })).items).toHaveLength(0);
});
