import { expect, test } from './fixtures';
import { startAdaAndEddieBehindProxies } from './sync-fixtures';

/**
 * Ada asks to delete a dog in the trash permanently; before she confirms, Eddie restores it on his
 * device and links a video to it. Her open question says so and deletes nothing, and a delete that
 * names the version she was asked about is refused. Before, DELETE removed the dog Eddie had just
 * restored, and the link he had just made, with the trash screen already saying it was empty.
 */
test('a permanent delete asked about an entry that someone restores meanwhile deletes nothing and says why', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const { a, b, pageA, pageB, close } = await startAdaAndEddieBehindProxies(browser);
  const nav = (page: typeof pageA) => page.getByRole('navigation', { name: 'Main' });
  try {
    const rex = await a.app.caller.entities.create({ type: 'dog', fields: { name: 'Rex' } });
    await a.app.caller.trash.trash({ items: [{ type: 'dog', id: rex.id }] });
    const asked = await a.app.caller.entities.get({ type: 'dog', id: rex.id });

    await nav(pageB)
      .getByRole('button', { name: /^Trash/ })
      .click();
    await expect(pageB.getByRole('table', { name: 'Entries in the trash' })).toContainText('Rex', { timeout: 20_000 });

    await nav(pageA)
      .getByRole('button', { name: /^Trash/ })
      .click();
    await pageA.getByRole('button', { name: 'Delete Rex permanently' }).click();
    const dialog = pageA.getByRole('dialog', { name: 'Delete this dog permanently?' });
    await expect(dialog).toContainText('Nothing refers to this entry.');
    await dialog.getByLabel('Type DELETE to confirm').fill('DELETE');
    const confirm = dialog.getByRole('button', { name: 'Delete permanently' });
    await expect(confirm).toBeEnabled();

    // Eddie restores Rex and films him.
    await pageB.getByRole('button', { name: 'Restore Rex' }).click();
    await pageB
      .getByRole('dialog', { name: 'Restore “Rex” from the trash?' })
      .getByRole('button', { name: 'Restore', exact: true })
      .click();
    await expect(pageB.getByText('The trash is empty.')).toBeVisible();
    await b.app.caller.entities.create({ type: 'video', fields: { title: 'Rex at the beach', dogs: [rex.id] } });

    // Ada's question follows: it names who restored it and offers no delete.
    await expect(dialog.getByRole('alert')).toHaveText(
      'Eddie Editor restored this dog from the trash meanwhile, so it will not be deleted from here. It is back among the dogs.',
      { timeout: 20_000 },
    );
    await expect(confirm).toBeDisabled();
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    // The core refuses too, for a click that beat the live update: the delete names what was asked about.
    await expect.poll(async () => (await a.app.caller.entities.list({ type: 'video' })).items.length).toBe(1);
    await expect(
      a.app.caller.trash.deletePermanently({ items: [{ type: 'dog', id: rex.id, rev: asked.rev }], confirm: true }),
    ).rejects.toThrow('Eddie Editor restored this dog from the trash meanwhile, so nothing was deleted.');
    expect(await a.app.caller.entities.get({ type: 'dog', id: rex.id })).toMatchObject({
      name: 'Rex',
      deletedAt: null,
    });
    const [video] = (await a.app.caller.entities.list({ type: 'video' })).items;
    expect(video).toMatchObject({ title: 'Rex at the beach', dogs: [rex.id] });
  } finally {
    await close();
  }
});
