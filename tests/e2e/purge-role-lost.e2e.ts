import { expect, test } from './fixtures';
import { changeRole, openScreenNamed, trashRexSeenBy } from './safety-helpers-roles';
import { PASSWORD, startAdaAndAnotherBehindProxies } from './sync-fixtures';

/**
 * An admin with the purge question open is made an editor by another admin: the open question follows the
 * role at once. It says why and offers no purge, instead of taking DELETE and being refused by the core.
 */
test('an open purge question says so and offers no purge once the admin is made an editor', async ({ browser }) => {
  test.setTimeout(150_000);
  const bea = { username: 'bea', name: 'Bea Admin', password: PASSWORD, role: 'admin' } as const;
  const { a, b, pageA, pageB, close } = await startAdaAndAnotherBehindProxies(browser, bea);
  try {
    await trashRexSeenBy(a.app, b.app);

    await openScreenNamed(pageB, 'Trash');
    await pageB.getByLabel('Everything in the trash').check();
    await pageB.getByRole('button', { name: 'Purge…' }).click();
    const question = pageB.getByRole('dialog', { name: 'Purge the trash?' });
    await expect(question.getByRole('region', { name: 'What the purge deletes' })).toContainText('1 entry');
    await question.getByLabel(/Type DELETE/).fill('DELETE');
    await expect(question.getByRole('button', { name: 'Purge permanently' })).toBeEnabled();

    await changeRole(pageA, 'bea', 'editor');

    await expect(question.getByRole('alert')).toHaveText(
      'Only an admin can purge the trash; you are signed in as an editor. Your role changed while this was open; nothing was purged.',
      { timeout: 20_000 },
    );
    await expect(question.getByRole('button', { name: 'Purge permanently' })).toBeDisabled();
    await question.getByRole('button', { name: 'Cancel' }).click();
    expect((await b.app.caller.trash.list({ limit: 10 })).items).toHaveLength(1);
  } finally {
    await close();
  }
});

test('an open permanent-delete question says so and deletes nothing once the admin is made an editor', async ({
  browser,
}) => {
  test.setTimeout(150_000);
  const bea = { username: 'bea', name: 'Bea Admin', password: PASSWORD, role: 'admin' } as const;
  const { a, b, pageA, pageB, close } = await startAdaAndAnotherBehindProxies(browser, bea);
  try {
    await trashRexSeenBy(a.app, b.app);

    await openScreenNamed(pageB, 'Trash');
    await pageB.getByRole('button', { name: 'Delete Rex permanently' }).click();
    const question = pageB.getByRole('dialog', { name: 'Delete this dog permanently?' });
    await question.getByLabel(/Type DELETE/).fill('DELETE');
    await expect(question.getByRole('button', { name: 'Delete permanently' })).toBeEnabled();

    await changeRole(pageA, 'bea', 'editor');

    await expect(question.getByRole('alert')).toHaveText(
      'Only an admin can delete entries permanently; you are signed in as an editor. Your role changed while this was open; nothing was deleted.',
      { timeout: 20_000 },
    );
    await expect(question.getByRole('button', { name: 'Delete permanently' })).toBeDisabled();
    await question.getByRole('button', { name: 'Cancel' }).click();
    expect((await b.app.caller.trash.list({ limit: 10 })).items).toHaveLength(1);
  } finally {
    await close();
  }
});
