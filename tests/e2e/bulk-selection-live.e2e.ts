import { readFile } from 'node:fs/promises';
import { expect, openLibrary, test } from './fixtures';
import { startAdaAndEddieBehindProxies } from './sync-fixtures';

/**
 * A bulk action acts on what the list shows. Eddie selects three dogs; Ada moves one of them to the
 * trash meanwhile, and the sync takes it out of Eddie's list. Eddie's selection, its count, "Move
 * selected to trash", its undo and "Export… the selected" then cover the two dogs still shown; before,
 * they kept the hidden one: "Moved 3 dogs", and the undo brought back the dog Ada had trashed.
 */
test('a selected entry a teammate moves to the trash leaves the selection: the bulk move and its undo leave it alone', async ({
  browser,
}) => {
  const team = await startAdaAndEddieBehindProxies(browser);
  try {
    const { a, b, pageB } = team;
    const ids: Record<string, string> = {};
    for (const name of ['Rex', 'Bo', 'Fido'])
      ids[name] = (await a.app.caller.entities.create({ type: 'dog', fields: { name } })).id;
    await openLibrary(pageB, 'Dogs');
    const grid = pageB.getByRole('grid', { name: 'Dogs' });
    const selection = pageB.getByRole('group', { name: 'Selection' });
    await expect(grid).toContainText('Fido');
    await expect(grid).toContainText('Rex');
    await selection.getByLabel('Select all loaded').check();
    await expect(selection.getByRole('status').first()).toHaveText('3 selected');

    await a.app.caller.trash.trash({ items: [{ type: 'dog', id: ids.Rex! }] });
    await expect(grid).not.toContainText('Rex');
    await expect(selection.getByRole('status').first()).toHaveText('2 selected');

    // The selection's export holds the two dogs shown, not the one in the trash.
    await selection.getByRole('button', { name: 'Export…' }).click();
    const dialog = pageB.getByRole('dialog', { name: 'Export dogs' });
    await dialog.getByLabel('Format').selectOption('json');
    const download = pageB.waitForEvent('download');
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    const file = JSON.parse(await readFile((await (await download).path())!, 'utf8')) as {
      items: { name: string }[];
    };
    expect(file.items.map((item) => item.name).sort()).toEqual(['Bo', 'Fido']);
    await dialog.getByRole('button', { name: 'Close' }).click();

    await selection.getByRole('button', { name: 'Move selected to trash' }).click();
    await expect(selection.getByText('Moved 2 dogs to the trash.')).toBeVisible();
    await expect(grid).not.toContainText('Fido');
    await selection.getByRole('button', { name: 'Undo (restore)' }).click();
    await selection
      .page()
      .getByRole('dialog', { name: 'Restore 2 entries from the trash?' })
      .getByRole('button', { name: 'Restore 2 entries' })
      .click();
    await expect(grid).toContainText('Fido');
    await expect(grid).toContainText('Bo');
    // Ada's move stands: the undo brought back only what Eddie moved.
    await expect(grid).not.toContainText('Rex');
    const rex = await b.app.caller.entities.get({ type: 'dog', id: ids.Rex! });
    expect(rex.deletedBy).toMatchObject({ name: 'Ada Admin' });
  } finally {
    await team.close();
  }
});
