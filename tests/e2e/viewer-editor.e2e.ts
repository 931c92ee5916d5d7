import { expect, openLibrary, test } from './fixtures';
import { changeRole } from './safety-helpers-roles';
import { startAdaAndEddieBehindProxies } from './sync-fixtures';

/**
 * An editor made a viewer while an entry is open with unsaved typing: the form turns read-only, but
 * only the writing actions go with it. History, Copy link and Close still work, and the typing he can no
 * longer save can be discarded. Before, the whole action bar sat in the disabled fieldset.
 */
test('a viewer keeps the reading actions of an open entry and can discard typing he can no longer save', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const { a, pageA, pageB, close } = await startAdaAndEddieBehindProxies(browser);
  try {
    await a.app.caller.entities.create({ type: 'dog', fields: { name: 'Rex', breed: 'Collie' } });
    await openLibrary(pageB, 'Dogs');
    await expect(pageB.getByRole('grid', { name: 'Dogs' })).toContainText('Collie', { timeout: 20_000 });
    await pageB.getByRole('row', { name: /Rex/ }).click();
    const form = pageB.getByRole('form', { name: 'dog form' });
    await form.getByLabel('Color').fill('Brown');
    await expect(form.getByRole('status')).toContainText('Unsaved changes');

    // Ada makes Eddie a viewer (the Team screen asks first).
    await changeRole(pageA, 'eddie', 'viewer');

    // Eddie's open form turns read-only: no typing, no save, no trash, each with the reason.
    const reason = 'Only an editor or admin can edit entries; you are signed in as a viewer.';
    await expect(pageB.getByRole('complementary')).toContainText(`Read only. ${reason}`, { timeout: 20_000 });
    // Reading stays: Copy link and History work, Close closes.
    await expect(form.getByRole('button', { name: 'Copy link' })).toBeEnabled();
    await expect(form.getByRole('button', { name: 'History' })).toBeEnabled();
    await expect(form.getByRole('button', { name: /^Close/ })).toBeEnabled();
    await expect(form.getByLabel('Color')).toBeDisabled();
    await expect(form.getByRole('button', { name: /^Save/ })).toBeDisabled();
    await expect(form.getByRole('button', { name: /^Save/ })).toHaveAttribute('title', reason);
    await expect(form.getByRole('button', { name: 'Move to trash' })).toBeDisabled();
    await pageB.keyboard.press('Control+s');
    await expect(form.getByRole('alert')).toHaveText(`Not saved: ${reason}`);

    // The typing he cannot save any more can go: the form shows the entry as stored again.
    await form.getByRole('button', { name: 'Discard changes' }).click();
    await pageB
      .getByRole('dialog', { name: 'Discard your changes to this dog?' })
      .getByRole('button', { name: 'Discard', exact: true })
      .click();
    await expect(form.getByRole('status')).toHaveText('Draft discarded.');
    await expect(form.getByLabel('Color')).toHaveValue('');
    await expect(form.getByRole('button', { name: 'Discard changes' })).toHaveCount(0);

    await form.getByRole('button', { name: 'History' }).click();
    await expect(pageB.getByRole('heading', { name: 'History of Rex' })).toBeVisible();
    expect((await a.app.caller.entities.list({ type: 'dog' })).items).toEqual([
      expect.objectContaining({ name: 'Rex', breed: 'Collie' }),
    ]);
  } finally {
    await close();
  }
});
