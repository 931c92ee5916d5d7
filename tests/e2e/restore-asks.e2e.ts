import type { Page } from '@playwright/test';
import { expect, openLibrary, test, type RunningApp } from './fixtures';

/**
 * Every restore out of the trash asks first: which entries come back, who trashed them and when, and what
 * will differ (a name a live entry took meanwhile, links to entries that stay in the trash); a plain
 * confirmation, as a restore is not permanent. History's "Restore this version" names the fields it
 * changes back. Before, the Trash screen, a reference chip and the library's undo restored on the click,
 * and the version was restored without a word.
 */

const EDDIE = { id: 'eddie', name: 'Eddie Editor' };

/** Eddie (another person on this device) moves `items` to the trash; the session goes back to the app's own. */
async function eddieTrashes(app: RunningApp, items: { type: 'video' | 'person' | 'dog'; id: string }[]) {
  const own = app.core.context.session();
  app.core.context.setSession({ actor: EDDIE, role: 'editor' });
  try {
    await app.caller.trash.trash({ items });
  } finally {
    app.core.context.setSession(own);
  }
}

async function openTrash(page: Page) {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: /^Trash/ })
    .click();
  return page.getByRole('table', { name: 'Entries in the trash' });
}

/** Opens an entry by its link, once the page has been let in with the launch address. */
async function openEntry(page: Page, app: RunningApp, type: string, id: string) {
  await page.goto(app.url);
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await page.goto(`${new URL(app.url).origin}/#/entry/${type}/${id}`);
}

const localTime = (page: Page, iso: string) => page.evaluate((at) => new Date(at).toLocaleString(), iso);

test('the Trash screen asks before a restore: who trashed it and when, a name taken meanwhile, links left in the trash', async ({
  page,
  app,
}) => {
  const bob = await app.caller.entities.create({ type: 'person', fields: { name: 'Bob' } });
  const rex = await app.caller.entities.create({ type: 'dog', fields: { name: 'Rex' } });
  const video = await app.caller.entities.create({
    type: 'video',
    fields: { title: 'Winter Hike', people: [bob.id], dogs: [rex.id] },
  });
  await eddieTrashes(app, [
    { type: 'video', id: video.id },
    { type: 'person', id: bob.id },
    { type: 'dog', id: rex.id },
  ]);
  // Meanwhile another dog took the name.
  await app.caller.entities.create({ type: 'dog', fields: { name: 'rex', breed: 'Husky' } });
  const inTrash = async (type: 'video' | 'person' | 'dog', id: string) =>
    (await app.caller.entities.get({ type, id })).deletedAt !== null;

  await page.goto(app.url);
  const table = await openTrash(page);
  await table.getByRole('button', { name: 'Restore Winter Hike' }).click();
  const one = page.getByRole('dialog', { name: 'Restore “Winter Hike” from the trash?' });
  const when = await localTime(page, (await app.caller.entities.get({ type: 'video', id: video.id })).deletedAt!);
  await expect(one.getByRole('list', { name: 'Entries to restore' })).toHaveText(
    `Video: Winter Hike. Moved to the trash by Eddie Editor on ${when}. ` +
      'Its links to 2 entries still in the trash stay “in trash” (People: Bob; Dogs: Rex). ' +
      'Restore those entries too to make them live.',
  );
  await one.getByRole('button', { name: 'Cancel' }).click();
  await expect(one).toHaveCount(0);
  expect(await inTrash('video', video.id)).toBe(true);

  for (const name of ['Winter Hike', 'Bob', 'Rex'])
    await table.getByRole('checkbox', { name: `Select ${name}` }).check();
  await page.getByRole('button', { name: 'Restore selected (3)…' }).click();
  const three = page.getByRole('dialog', { name: 'Restore 3 entries from the trash?' });
  const entries = three.getByRole('list', { name: 'Entries to restore' }).getByRole('listitem');
  await expect(entries.filter({ hasText: 'Dog: Rex' })).toContainText(
    'Not restored: Cannot restore the dog "Rex": a live dog named "rex" exists now. Rename one of them first.',
  );
  // Bob comes back along, so only the link to Rex stays "in trash".
  await expect(entries.filter({ hasText: 'Video: Winter Hike' })).toContainText(
    'Its link to an entry still in the trash stays “in trash” (Dogs: Rex).',
  );
  await three.getByRole('button', { name: 'Restore the other 2' }).click();
  await expect(three).toHaveCount(0);
  await expect(table.getByRole('row')).toHaveCount(2);
  await expect(table).toContainText('Rex');
  expect([await inTrash('video', video.id), await inTrash('person', bob.id), await inTrash('dog', rex.id)]).toEqual([
    false,
    false,
    true,
  ]);
});

test("a reference chip's Restore and the library's undo ask first too", async ({ page, app }) => {
  const bob = await app.caller.entities.create({ type: 'person', fields: { name: 'Bob' } });
  const video = await app.caller.entities.create({ type: 'video', fields: { title: 'Winter Hike', people: [bob.id] } });
  await app.caller.trash.trash({ items: [{ type: 'person', id: bob.id }] });
  const when = await (async () => (await app.caller.entities.get({ type: 'person', id: bob.id })).deletedAt!)();

  await openEntry(page, app, 'video', video.id);
  const form = page.getByRole('form', { name: 'video form' });
  await form.getByRole('button', { name: 'Restore Bob from the trash' }).click();
  const question = page.getByRole('dialog', { name: 'Restore “Bob” from the trash?' });
  await expect(question).toContainText(`Person: Bob. Moved to the trash by you on ${await localTime(page, when)}.`);
  await question.getByRole('button', { name: 'Cancel' }).click();
  expect((await app.caller.entities.get({ type: 'person', id: bob.id })).deletedAt).not.toBeNull();
  await form.getByRole('button', { name: 'Restore Bob from the trash' }).click();
  await question.getByRole('button', { name: 'Restore', exact: true }).click();
  await expect(form.getByRole('button', { name: 'Restore Bob from the trash' })).toHaveCount(0);
  expect((await app.caller.entities.get({ type: 'person', id: bob.id })).deletedAt).toBeNull();

  await page.getByRole('button', { name: /^Close/ }).click();
  await openLibrary(page, 'People');
  await page.getByRole('checkbox', { name: 'Select Bob' }).check();
  await page.getByRole('button', { name: 'Move selected to trash' }).click();
  await page
    .getByRole('dialog', { name: /Other entries link to “Bob”/ })
    .getByRole('button', { name: 'Move to trash' })
    .click();
  await expect(page.getByRole('status').filter({ hasText: 'Moved 1 person to the trash.' })).toBeVisible();
  await page.getByRole('button', { name: 'Undo (restore)…' }).click();
  const undo = page.getByRole('dialog', { name: 'Restore “Bob” from the trash?' });
  await expect(undo).toContainText('Moved to the trash by you on');
  await undo.getByRole('button', { name: 'Restore', exact: true }).click();
  await expect(page.getByRole('grid', { name: 'People' })).toContainText('Bob');
  expect((await app.caller.entities.get({ type: 'person', id: bob.id })).deletedAt).toBeNull();
});

test("History's restore of a version names each field it changes back, and restores only when confirmed", async ({
  page,
  app,
}) => {
  const series = await app.caller.entities.create({ type: 'series', fields: { name: 'Mountain Days' } });
  await app.caller.entities.update({ type: 'series', id: series.id, fields: { name: 'Valley Days' }, rev: series.rev });
  await openEntry(page, app, 'series', series.id);
  await page.getByRole('button', { name: 'History' }).click();
  const panel = page.getByRole('complementary', { name: /^History of/ });
  const versions = panel.getByRole('list', { name: 'Versions' }).getByRole('listitem');
  await versions.nth(1).getByRole('button', { name: 'Restore this version…' }).click();
  const question = page.getByRole('dialog', { name: /^Restore the version of / });
  await expect(question.getByRole('list', { name: 'What the restore changes' })).toHaveText(
    'Name: Valley Days → Mountain Days',
  );
  await question.getByRole('button', { name: 'Cancel' }).click();
  expect(await app.caller.entities.get({ type: 'series', id: series.id })).toMatchObject({ name: 'Valley Days' });
  await versions.nth(1).getByRole('button', { name: 'Restore this version…' }).click();
  await question.getByRole('button', { name: 'Restore this version' }).click();
  await expect(panel.getByRole('status')).toHaveText('Restored that version as a new change.');
  expect(await app.caller.entities.get({ type: 'series', id: series.id })).toMatchObject({ name: 'Mountain Days' });
});
