import { randomUUID } from 'node:crypto';
import { mergeEntity, type Doc } from '../../shared/merge';
import { recordConflict } from '../../main/sync/conflict-handler';
import { expect, test, type RunningApp } from './fixtures';

const eddie = { id: 'u-eddie', name: 'Eddie Editor' };

/** Records what the sync's merge makes of `local` and `server` changes on Rex (real merge, real store). */
async function recordMerge(app: RunningApp, local: Doc, server: Doc | 'deleted', localDeleted = false): Promise<void> {
  const base = (await app.caller.entities.create({ type: 'dog', fields: { name: 'Rex', breed: 'Collie' } })) as Doc;
  const at = new Date().toISOString();
  const serverDoc =
    server === 'deleted'
      ? { ...base, rev: randomUUID(), updatedBy: eddie, _deleted: true }
      : { ...base, ...server, rev: randomUUID(), updatedAt: at, updatedBy: eddie, _deleted: false };
  const states = {
    base,
    local: { ...base, ...local, rev: randomUUID(), updatedAt: at, _deleted: localDeleted },
    server: serverDoc,
  };
  const { conflict } = mergeEntity('dog', states, {
    actor: { id: 'u-ada', name: 'Ada Admin' },
    now: at,
    newRev: randomUUID,
  });
  await recordConflict(app.core.context.database.conflicts, conflict!);
}

async function openConflicts(app: RunningApp, page: import('@playwright/test').Page) {
  await page.goto(app.url);
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: /^Conflicts/ })
    .click();
  return page.getByRole('table', { name: 'Conflicts' });
}

test('the conflict detail offers only the contested field; one-sided changes show as merged by themselves', async ({
  page,
  app,
}) => {
  // Here: Breed Poodle and Color Brown; on the server: Breed Beagle. Only Breed is contested.
  await recordMerge(app, { breed: 'Poodle', color: 'Brown' }, { breed: 'Beagle' });
  const list = await openConflicts(app, page);
  await expect(list.getByRole('row', { name: /Rex/ })).toContainText('Breed');
  await expect(list.getByRole('row', { name: /Rex/ })).not.toContainText('Color');
  await list.getByRole('button', { name: /Rex/ }).click();

  const comparison = page.getByRole('table', { name: 'Field comparison' });
  await expect(comparison.getByRole('row', { name: /Breed/ })).toContainText('Poodle');
  await expect(comparison.getByRole('row', { name: /Color/ })).toHaveCount(0);
  await expect(page.getByRole('radiogroup', { name: 'Keep for Color' })).toHaveCount(0);

  const merged = page.getByRole('table', { name: 'Merged by itself' });
  await expect(merged.getByRole('row', { name: /Color/ })).toContainText('Local edit (Ada Admin)');
  await expect(merged.getByRole('row', { name: /Color/ })).toContainText('Brown');
  await expect(merged.getByRole('row', { name: /Breed/ })).toHaveCount(0);
});

test('an edit versus a permanent delete says so in the Fields column', async ({ page, app }) => {
  await recordMerge(app, { color: 'Brown' }, 'deleted');
  const list = await openConflicts(app, page);
  const row = list.getByRole('row', { name: /Rex/ });
  await expect(row).toContainText('Edit versus permanent delete');
  await expect(row).toContainText('Deleted permanently on one side');
});
