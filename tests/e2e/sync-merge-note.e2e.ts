import { expect, openLibrary, test } from './fixtures';
import { everythingSent, startAdaAndEddieBehindProxies, syncBadge } from './sync-fixtures';

/**
 * An open editor whose saved value the sync replaced by a teammate's (the same field saved offline on two
 * devices) says whose value was kept and that its own waits under Conflicts. Before, the merge, written
 * by this device's user, read "Eddie Editor changed Breed." in Eddie's own editor.
 */
test('the open editor says the sync kept a teammate’s value over the one saved here', async ({ browser }) => {
  test.setTimeout(150_000);
  const { proxyA, proxyB, a, b, pageA, pageB, close } = await startAdaAndEddieBehindProxies(browser);
  try {
    const { id } = await a.app.caller.entities.create({ type: 'dog', fields: { name: 'Rex', breed: 'Collie' } });
    await expect
      .poll(() => b.app.caller.entities.get({ type: 'dog', id }).catch(() => null), { timeout: 20_000 })
      .not.toBeNull();

    await proxyA.setOnline(false);
    await proxyB.setOnline(false);
    await a.app.caller.entities.update({ type: 'dog', id, fields: { breed: 'Beagle' }, bases: { breed: 'Collie' } });

    // Eddie saves another breed and a color in his editor, offline, and keeps it open.
    await openLibrary(pageB, 'Dogs');
    await pageB.getByRole('row', { name: /Rex/ }).click();
    const form = pageB.getByRole('form', { name: 'dog form' });
    await form.getByLabel('Breed').fill('Poodle');
    await form.getByLabel('Color').fill('Brown');
    await form.getByRole('button', { name: /^Save/ }).click();
    await expect(form.getByRole('status')).toHaveText('Saved.');

    // Ada's change reaches the server first; Eddie's device merges (its color, the server's breed: a write of
    // Eddie's) and records the conflict.
    await proxyA.setOnline(true);
    await everythingSent(a);
    await expect(syncBadge(pageA)).toHaveAccessibleName(/^Sync status: In sync/, { timeout: 20_000 });
    await proxyB.setOnline(true);
    await expect(form.getByLabel('Breed')).toHaveValue('Beagle', { timeout: 30_000 });
    await expect(form.getByLabel('Color')).toHaveValue('Brown');
    const note = form.getByRole('note', { name: 'Changes by others' });
    await expect(note).toContainText("the sync kept Ada Admin's value for now", { timeout: 20_000 });
    await expect(note).toContainText('Yours (Breed: Poodle) is kept under Conflicts');
    await expect(note).not.toContainText('Eddie Editor changed');
  } finally {
    await close();
  }
});
