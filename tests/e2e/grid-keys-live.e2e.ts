import { expect, openLibrary, test } from './fixtures';
import { startAdaAndEddieBehindProxies } from './sync-fixtures';

/**
 * The library's keyboard holds the active row by its entry: when another person's new entry lands
 * above it (or one above is trashed), the same entry stays active, and Enter opens it, Space selects
 * it. Before, the active row kept its position, so Enter opened the entry that slid into it.
 */
test('the active row of the library stays on its entry while others add and trash entries above it', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const { a, pageB, close } = await startAdaAndEddieBehindProxies(browser);
  try {
    const dogs: Record<string, string> = {};
    for (const name of ['Bella', 'Charlie', 'Daisy', 'Max', 'Rex']) {
      dogs[name] = (await a.app.caller.entities.create({ type: 'dog', fields: { name } })).id;
    }
    await openLibrary(pageB, 'Dogs');
    const grid = pageB.getByRole('grid', { name: 'Dogs' });
    await expect(grid).toContainText('Rex', { timeout: 20_000 });
    const activeText = async () =>
      (await pageB.locator(`[id="${await grid.getAttribute('aria-activedescendant')}"]`).textContent()) ?? '';

    await grid.focus();
    await expect.poll(activeText).toBe('Bella');
    for (let step = 0; step < 3; step++) await pageB.keyboard.press('ArrowDown');
    await expect.poll(activeText).toBe('Max');

    // Ada adds an entry that sorts first: Max stays active, and Space selects Max.
    await a.app.caller.entities.create({ type: 'dog', fields: { name: 'Aaron' } });
    await expect(grid.getByRole('row').nth(1)).toContainText('Aaron', { timeout: 20_000 });
    await expect.poll(activeText).toBe('Max');
    await pageB.keyboard.press('Space');
    await expect(grid.getByRole('row', { name: /Max/ })).toHaveAttribute('aria-selected', 'true');
    await expect(grid.getByRole('row', { name: /Daisy/ })).toHaveAttribute('aria-selected', 'false');

    // Ada trashes two entries above it: still Max, and Enter opens Max.
    await a.app.caller.trash.trash({
      items: [
        { type: 'dog', id: dogs.Bella! },
        { type: 'dog', id: dogs.Charlie! },
      ],
    });
    await expect(grid).not.toContainText('Charlie', { timeout: 20_000 });
    await expect.poll(activeText).toBe('Max');
    await pageB.keyboard.press('Enter');
    await expect(pageB.getByRole('form', { name: 'dog form' }).getByLabel('Name')).toHaveValue('Max');

    // Arrows go on from there.
    await grid.focus();
    await pageB.keyboard.press('ArrowDown');
    await expect.poll(activeText).toBe('Rex');
  } finally {
    await close();
  }
});
