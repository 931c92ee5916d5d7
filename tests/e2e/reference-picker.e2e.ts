import type { SqliteInternals } from '../../main/storage';
import { expect, openLibrary, test, type RunningApp } from './fixtures';

/**
 * Moves the search index's table out of the way on the core's own connection, so every search fails
 * inside the core as it would on a damaged index; putting it back heals it.
 */
function breakSearch(app: RunningApp, broken: boolean): void {
  const internals = app.core.context.database.entities.person.storageInstance.internals as SqliteInternals;
  const [from, to] = broken ? ['curio_search', 'curio_search_away'] : ['curio_search_away', 'curio_search'];
  internals.file.writer.exec(`ALTER TABLE ${from} RENAME TO ${to}`);
}

test('the reference picker says when a search is too long or fails, and what to do', async ({ page, app }) => {
  await app.caller.entities.create({ type: 'person', fields: { name: 'Zoe Quinn' } });
  await page.goto(app.url);
  await openLibrary(page, 'Videos');
  await page.getByRole('button', { name: /^New video/ }).click();
  const form = page.getByRole('form', { name: 'video form' });
  const people = form.getByRole('combobox', { name: 'People' });
  const matches = form.getByRole('listbox', { name: 'People matches' });

  // Too long: the main search's words, with the limit; nothing is asked.
  const pasted = 'zoe '.repeat(60) + 'quinn';
  await people.fill(pasted);
  const problem = form.getByRole('alert');
  await expect(problem).toHaveText(
    `This search is ${pasted.length} characters long; a search can be at most 200 characters. Shorten it to a few words.`,
  );
  await expect(people).toHaveAccessibleDescription(/a search can be at most 200 characters/);
  await expect(matches).toHaveCount(0);
  await people.fill('zo');
  await expect(matches.getByRole('option')).toHaveText(['Zoe Quinn']);
  await expect(problem).toHaveCount(0);

  // Failed: said as a failed search with what to do, and Try again searches again.
  breakSearch(app, true);
  await people.fill('zoe');
  await expect(problem).toContainText(
    'Searching people failed. Something went wrong inside Curio. Try again; if it keeps happening, report it with the log.',
  );
  await expect(matches).toHaveCount(0);
  breakSearch(app, false);
  await problem.getByRole('button', { name: 'Try again' }).click();
  await expect(matches.getByRole('option')).toHaveText(['Zoe Quinn']);
  await expect(problem).toHaveCount(0);
  await people.press('Enter');
  await expect(form.getByRole('button', { name: 'Remove Zoe Quinn from People' })).toBeVisible();
});

test('the reference picker says when nothing matches, and how to link a new entry', async ({ page, app }) => {
  await app.caller.entities.create({ type: 'person', fields: { name: 'Zoe Quinn' } });
  await page.goto(app.url);
  await openLibrary(page, 'Videos');
  await page.getByRole('button', { name: /^New video/ }).click();
  const form = page.getByRole('form', { name: 'video form' });
  const people = form.getByRole('combobox', { name: 'People' });
  const matches = form.getByRole('listbox', { name: 'People matches' });
  const nothing =
    'No person matches "xavier". To link a new person, first create one under People, then search again here.';

  // Said in a polite live region that is always there (so it is announced), and named by the box.
  await people.fill('xavier');
  const said = form.getByText(nothing, { exact: true });
  await expect(said).toBeVisible();
  await expect(said).toHaveAttribute('aria-live', 'polite');
  await expect(people).toHaveAccessibleDescription(nothing);
  await expect(matches).toHaveCount(0);
  await expect(form.getByRole('alert')).toHaveCount(0);

  // A match clears it; once the only match is picked, the same search says there is no other.
  await people.fill('zoe');
  await expect(matches.getByRole('option')).toHaveText(['Zoe Quinn']);
  await expect(said).toHaveCount(0);
  await expect(people).not.toHaveAccessibleDescription(/matches/);
  await people.press('Enter');
  await people.fill('zoe');
  await expect(people).toHaveAccessibleDescription(/^No other person matches "zoe"\./);
  await expect(matches).toHaveCount(0);

  // A library filter only filters: it says nothing matches, without inviting to create.
  await page.keyboard.press('Escape');
  const filter = page.getByRole('combobox', { name: 'With person' });
  await filter.fill('xavier');
  await expect(filter).toHaveAccessibleDescription('No person matches "xavier".');
});

test('the reference picker says when the only match is in the trash, and how to restore it', async ({ page, app }) => {
  const xavier = await app.caller.entities.create({ type: 'person', fields: { name: 'Xavier Dolan' } });
  await app.caller.trash.trash({ items: [{ type: 'person', id: xavier.id }] });
  await page.goto(app.url);
  await openLibrary(page, 'Videos');
  await page.getByRole('button', { name: /^New video/ }).click();
  const form = page.getByRole('form', { name: 'video form' });
  const people = form.getByRole('combobox', { name: 'People' });
  const said =
    'No person matches "xavier". Xavier Dolan is in the trash. To link it, restore it from the Trash first, then search again here.';

  // Named, with the way on, in the same polite live region; no invitation to create a duplicate.
  await people.fill('xavier');
  await expect(people).toHaveAccessibleDescription(said);
  await expect(form.getByText(said, { exact: true })).toHaveAttribute('aria-live', 'polite');
  await expect(form.getByText(/create one under People/)).toHaveCount(0);
  await expect(form.getByRole('listbox', { name: 'People matches' })).toHaveCount(0);

  // The way to the Trash is reachable from the keyboard; restored there, the search finds him.
  const openTrash = form.getByRole('button', { name: 'Open the Trash' });
  await people.press('Tab');
  await expect(openTrash).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 2, name: 'Trash' })).toBeVisible();
  await page.getByRole('button', { name: 'Restore Xavier Dolan' }).click();
  await page
    .getByRole('dialog', { name: 'Restore “Xavier Dolan” from the trash?' })
    .getByRole('button', { name: 'Restore', exact: true })
    .click();
  await expect(page.getByRole('button', { name: 'Restore Xavier Dolan' })).toHaveCount(0);
  await people.fill('xavier');
  await expect(form.getByRole('listbox', { name: 'People matches' }).getByRole('option')).toHaveText(['Xavier Dolan']);
  await expect(people).not.toHaveAccessibleDescription(/trash/);
});
