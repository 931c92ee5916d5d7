import { randomUUID } from 'node:crypto';
import type { Page } from '@playwright/test';
import { expect, test, type RunningApp } from './fixtures';

/**
 * A teammate's edit can arrive before its history entry (the sync pulls entries and audit entries in
 * streams of their own). "Restore this version" over it is refused (0a36f4e); the History panel then reads
 * its versions and the entry again and shows the edit its history does not hold yet, so the person sees
 * the change the refusal spoke of. Before, the panel kept the list it had and showed nothing of it.
 */

const ADA = { id: 'user:ada', name: 'Ada Admin' };

/** Opens an entry by its link, once the page has been let in with the launch address. */
async function openEntry(page: Page, app: RunningApp, type: string, id: string) {
  await page.goto(app.url);
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await page.goto(`${new URL(app.url).origin}/#/entry/${type}/${id}`);
}

/** Ada's edit as the sync writes it here, before her audit entry has arrived. */
async function pullAdasEdit(app: RunningApp, id: string, fields: Record<string, unknown>) {
  const document = await app.core.context.database.entities.series.findOne(id).exec();
  await document!.incrementalPatch({
    ...fields,
    rev: randomUUID(),
    updatedAt: new Date().toISOString(),
    updatedBy: ADA,
  });
}

test("after a refused restore, History shows the teammate's edit its versions do not hold yet", async ({
  page,
  app,
}) => {
  const series = await app.caller.entities.create({ type: 'series', fields: { name: 'Mountain Days' } });
  await app.caller.entities.update({ type: 'series', id: series.id, fields: { name: 'Valley Days' }, rev: series.rev });
  await openEntry(page, app, 'series', series.id);
  await page.getByRole('button', { name: 'History' }).click();
  const panel = page.getByRole('complementary', { name: /^History of/ });
  const versions = panel.getByRole('list', { name: 'Versions' }).getByRole('listitem');
  await expect(versions).toHaveCount(2);
  await versions.nth(1).getByRole('button', { name: 'Restore this version…' }).click();
  const question = page.getByRole('dialog', { name: /^Restore the version of / });
  await expect(question.getByRole('list', { name: 'What the restore changes' })).toHaveText(
    'Name: Valley Days → Mountain Days',
  );

  await pullAdasEdit(app, series.id, { name: 'River Days' });
  await question.getByRole('button', { name: 'Restore this version' }).click();
  await expect(question.getByRole('alert')).toContainText('Ada Admin changed Name of this series after its history');
  await question.getByRole('button', { name: 'Cancel' }).click();

  const notYet = panel.getByRole('region', { name: 'Not in the history yet' });
  await expect(notYet).toContainText('Changed by Ada Admin');
  await expect(notYet.getByRole('table', { name: 'Changes not in the history yet' })).toHaveText(
    'NameValley DaysRiver Days',
  );
  await expect(versions).toHaveCount(2);
  expect(await app.caller.entities.get({ type: 'series', id: series.id })).toMatchObject({ name: 'River Days' });
});
