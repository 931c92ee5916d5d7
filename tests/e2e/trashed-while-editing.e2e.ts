import type { Locator, Page } from '@playwright/test';
import { expect, openLibrary, test, type RunningApp } from './fixtures';
import { liveDocumentValve, startTwoPeople } from './safety-helpers-editor';

/**
 * Eddie has a series open with unsaved typing; Ada moves it to the trash on her device. Eddie's editor
 * says so at once (who, when), keeps the typing, and saves nothing into the trash: Save is disabled
 * with the reason, and "Restore and save" asks first. A save that beats the live update is refused by
 * the core. Before, the editor stayed quiet and Save wrote into the trashed entry, answering "Saved.".
 */

const TYPED = 'Three weeks of careful notes';

async function openAndType(page: Page): Promise<Locator> {
  await openLibrary(page, 'Series');
  await page.getByRole('row', { name: /Trail Notes/ }).click({ timeout: 30_000 });
  const form = page.getByRole('form', { name: 'series form' });
  await form.getByRole('textbox', { name: 'Description' }).fill(TYPED);
  await expect(form.getByRole('status')).toContainText('Unsaved changes');
  return form;
}

/** Ada moves the series to the trash; returns when, as Eddie's page writes the time. */
async function adaTrashes(a: RunningApp, page: Page, id: string): Promise<string> {
  await a.caller.trash.trash({ items: [{ type: 'series', id }] });
  const { deletedAt } = await a.caller.entities.get({ type: 'series', id });
  return page.evaluate((at) => new Date(at).toLocaleString(), deletedAt!);
}

test('an entry moved to the trash on another device while open says who and when, keeps the typing, and saves only after a confirmed restore', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const team = await startTwoPeople(browser);
  const a = team.ada.app;
  const { app: b, page } = team.eddie;
  try {
    const series = await a.caller.entities.create({ type: 'series', fields: { name: 'Trail Notes' } });
    const form = await openAndType(page);

    const when = await adaTrashes(a, page, series.id);
    await expect(form.getByRole('alert')).toHaveText(
      `Ada Admin moved this series to the trash on ${when}, after you started editing it. ` +
        'Your changes are not saved to it; they are kept here: restore it and save them, or discard them.',
      { timeout: 30_000 },
    );
    await expect(form.getByRole('textbox', { name: 'Description' })).toHaveValue(TYPED);
    const save = form.getByRole('button', { name: /^Save/ });
    await expect(save).toBeDisabled();
    await expect(save).toHaveAttribute('title', 'This series was moved to the trash: restore it to save your changes.');
    await expect(form.getByRole('button', { name: 'Discard changes' })).toBeVisible();

    await form.getByRole('button', { name: 'Restore and save…' }).click();
    const question = page.getByRole('dialog', { name: 'Restore this series from the trash?' });
    await expect(question).toContainText(`Ada Admin moved it to the trash on ${when}.`);
    await question.getByRole('button', { name: 'Restore and save' }).click();
    await expect(form.getByRole('status')).toHaveText('Restored from the trash and saved.');
    await expect(form.getByRole('alert')).toHaveCount(0);
    expect(await b.caller.entities.get({ type: 'series', id: series.id })).toMatchObject({
      description: TYPED,
      deletedAt: null,
    });
    await expect
      .poll(async () => a.caller.entities.get({ type: 'series', id: series.id }), { timeout: 30_000 })
      .toMatchObject({ description: TYPED, deletedAt: null });
  } finally {
    await team.close();
  }
});

test('a save that beats the live news of the trash is refused with who did it, and nothing is written into the trash', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  let valve: Awaited<ReturnType<typeof liveDocumentValve>> | undefined;
  const team = await startTwoPeople(browser, async (context, person) => {
    if (person === 'eddie') valve = await liveDocumentValve(context);
  });
  const a = team.ada.app;
  const { app: b, page } = team.eddie;
  try {
    const series = await a.caller.entities.create({ type: 'series', fields: { name: 'Trail Notes' } });
    const form = await openAndType(page);

    valve!.freeze();
    await adaTrashes(a, page, series.id);
    await expect
      .poll(async () => (await b.caller.entities.get({ type: 'series', id: series.id })).deletedAt, {
        timeout: 30_000,
      })
      .not.toBeNull();
    await form.getByRole('button', { name: /^Save/ }).click();
    await expect(form.getByRole('alert')).toHaveText(
      'Ada Admin moved this series to the trash after you started editing, so nothing was saved. ' +
        'Restore it to save your changes to it, or discard them.',
    );
    expect(await b.caller.entities.get({ type: 'series', id: series.id })).not.toMatchObject({ description: TYPED });
    await expect(form.getByRole('textbox', { name: 'Description' })).toHaveValue(TYPED);

    valve!.thaw();
    await expect(form.getByRole('button', { name: /^Save/ })).toBeDisabled();
    await expect(form.getByRole('alert').filter({ hasText: 'moved this series to the trash on' })).toBeVisible();
  } finally {
    await team.close();
  }
});

test('moved to the trash from another window of the same person, the typing is still said to be unsaved after a reload, and can be discarded', async ({
  page,
  app,
  browser,
}) => {
  const series = await app.caller.entities.create({ type: 'series', fields: { name: 'Trail Notes' } });
  await page.goto(app.url);
  await openAndType(page);

  // The same person, in a second window on the same core, moves the series to the trash from the list.
  const other = await (await browser.newContext()).newPage();
  await other.goto(app.url);
  await openLibrary(other, 'Series');
  await other.getByRole('checkbox', { name: 'Select Trail Notes' }).check();
  await other.getByRole('button', { name: 'Move selected to trash' }).click();
  await expect
    .poll(async () => (await app.caller.entities.get({ type: 'series', id: series.id })).deletedAt)
    .not.toBeNull();
  const { deletedAt } = await app.caller.entities.get({ type: 'series', id: series.id });
  const when = await page.evaluate((at) => new Date(at).toLocaleString(), deletedAt!);
  // The mover is the person signed in here (the same actor), so the notice says "You", not their own name.
  const notice = `You moved this series to the trash in another window or on another device on ${when}, after you started editing it.`;
  await expect(page.getByRole('form', { name: 'series form' }).getByRole('alert')).toContainText(notice);
  await other.context().close();

  // The first window goes away with the draft kept; the entry's link opens it on the same words.
  await page.goto('about:blank');
  await page.goto(`${new URL(app.url).origin}/#/entry/series/${series.id}`);
  const reopened = page.getByRole('form', { name: 'series form' });
  await expect(reopened.getByRole('alert')).toContainText(notice);
  await expect(reopened.getByRole('textbox', { name: 'Description' })).toHaveValue(TYPED);
  await expect(reopened.getByRole('button', { name: /^Save/ })).toBeDisabled();
  await reopened.getByRole('button', { name: 'Restore and save…' }).click();
  const question = page.getByRole('dialog', { name: 'Restore this series from the trash?' });
  await expect(question).toContainText(
    `You moved it to the trash in another window or on another device on ${when}. Restoring brings it back`,
  );
  await question.getByRole('button', { name: 'Cancel' }).click();

  await reopened.getByRole('button', { name: 'Discard changes' }).click();
  await page
    .getByRole('dialog', { name: 'Discard your changes to this series?' })
    .getByRole('button', { name: 'Discard', exact: true })
    .click();
  await expect(reopened.getByRole('alert')).toHaveText(
    `You moved this series to the trash in another window or on another device on ${when}. Restore it to edit it again, or close it.`,
  );
  await expect(reopened.getByRole('textbox', { name: 'Description' })).toHaveValue('');
  expect(await app.caller.entities.get({ type: 'series', id: series.id })).toMatchObject({ deletedAt: deletedAt });
});

test('restored from the trash by the same person elsewhere while open there, the note says "You", not their own name', async ({
  page,
  app,
}) => {
  const series = await app.caller.entities.create({ type: 'series', fields: { name: 'Trail Notes' } });
  await app.caller.trash.trash({ items: [{ type: 'series', id: series.id }] });
  await page.goto(app.url);
  await openLibrary(page, 'Series');
  await page.goto(`${new URL(app.url).origin}/#/entry/series/${series.id}`);
  const form = page.getByRole('form', { name: 'series form' });
  await expect(form.getByRole('textbox', { name: 'Name' })).toHaveValue('Trail Notes');

  // The same person (the same core and actor) restores it from another window.
  await app.caller.trash.restore({ items: [{ type: 'series', id: series.id }] });
  await expect(form.getByRole('note', { name: 'Changes by others' })).toHaveText(
    'You restored this series from the trash in another window or on another device.',
  );
});
