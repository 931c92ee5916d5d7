import { expect, test } from './fixtures';

/**
 * The signed-in person's own change made in another window or on another device (same actor id as the
 * session) reads "You …", not their display name as if someone else had made it: in the Trash screen's
 * permanent-delete question and in the open editor's notes of changes made underneath it. Before, both
 * named "Alex Admin" to Alex Admin.
 */

test('the permanent-delete question says "You restored" for the person\'s own restore elsewhere', async ({
  page,
  app,
}) => {
  const rex = await app.caller.entities.create({ type: 'dog', fields: { name: 'Rex' } });
  await app.caller.trash.trash({ items: [{ type: 'dog', id: rex.id }] });
  await page.goto(app.url);
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: /^Trash/ })
    .click();
  await page.getByRole('button', { name: 'Delete Rex permanently' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete this dog permanently?' });
  await expect(dialog.getByRole('status')).toBeVisible();

  // The same person restores it from another window (the same core, the same actor).
  await app.caller.trash.restore({ items: [{ type: 'dog', id: rex.id }] });
  await expect(dialog.getByRole('alert')).toHaveText(
    'You restored this dog from the trash in another window or on another device meanwhile, so it will not be ' +
      'deleted from here. It is back among the dogs.',
  );
  await expect(dialog.getByRole('button', { name: 'Delete permanently' })).toBeDisabled();
});

test('the editor says "You changed …" for the person\'s own change elsewhere, also when a value waits for a choice', async ({
  page,
  app,
}) => {
  const rex = await app.caller.entities.create({ type: 'dog', fields: { name: 'Rex' } });
  await page.goto(app.url);
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await page.goto(`${new URL(app.url).origin}/#/entry/dog/${rex.id}`);
  const form = page.getByRole('form', { name: 'dog form' });
  await expect(form.getByRole('textbox', { name: 'Name' })).toHaveValue('Rex');

  const changed = await app.caller.entities.update({
    type: 'dog',
    id: rex.id,
    fields: { breed: 'Husky' },
    rev: rex.rev,
  });
  await expect(form.getByRole('note', { name: 'Changes by others' })).toHaveText(
    'You changed Breed in another window or on another device.',
  );

  await form.getByRole('textbox', { name: 'Color' }).fill('Black');
  await app.caller.entities.update({ type: 'dog', id: rex.id, fields: { color: 'White' }, rev: changed.rev });
  await expect(form.getByRole('note', { name: 'Changes by others' })).toHaveText(
    'You changed Color in another window or on another device while you were editing here: choose which value to keep.',
  );
  const choice = form.getByRole('group', { name: 'Color: choose a value' });
  await expect(choice).toContainText(
    'You changed Color in another window or on another device while you were editing it here.',
  );
  await choice.getByRole('button', { name: 'Use the stored one' }).click();
  await expect(form.getByRole('textbox', { name: 'Color' })).toHaveValue('White');
});
