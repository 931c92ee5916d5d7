import { expect, openScreenNamed, test } from './fixtures';
import { loseRoleWhileOpen, trashRexSeenBy } from './safety-helpers-roles';
import { startAdaAndAnotherBehindProxies, teamPerson } from './sync-fixtures';

const bea = teamPerson('Bea', 'admin');

/**
 * An admin with the purge question open is made an editor by another admin: the open question follows the
 * role at once. It says why and offers no purge, instead of taking DELETE and being refused by the core.
 */
test('an open purge question says so and offers no purge once the admin is made an editor', async ({ browser }) => {
  test.setTimeout(150_000);
  const { a, b, pageA, pageB, close } = await startAdaAndAnotherBehindProxies(browser, bea);
  try {
    await trashRexSeenBy(a.app, b.app);

    await openScreenNamed(pageB, 'Trash');
    await pageB.getByLabel('Everything in the trash').check();
    await pageB.getByRole('button', { name: 'Purge…' }).click();
    const question = pageB.getByRole('dialog', { name: 'Purge the trash?' });
    await expect(question.getByRole('region', { name: 'What the purge deletes' })).toContainText('1 entry');
    await question.getByLabel(/Type DELETE/).fill('DELETE');

    await loseRoleWhileOpen(
      pageA,
      { username: 'bea', role: 'editor' },
      question,
      question.getByRole('button', { name: 'Purge permanently' }),
      'Only an admin can purge the trash; you are signed in as an editor. Your role changed while this was open; nothing was purged.',
    );
    expect((await b.app.caller.trash.list({ limit: 10 })).items).toHaveLength(1);
  } finally {
    await close();
  }
});

test('an open permanent-delete question says so and deletes nothing once the admin is made an editor', async ({
  browser,
}) => {
  test.setTimeout(150_000);
  const { a, b, pageA, pageB, close } = await startAdaAndAnotherBehindProxies(browser, bea);
  try {
    await trashRexSeenBy(a.app, b.app);

    await openScreenNamed(pageB, 'Trash');
    await pageB.getByRole('button', { name: 'Delete Rex permanently' }).click();
    const question = pageB.getByRole('dialog', { name: 'Delete this dog permanently?' });
    await question.getByLabel(/Type DELETE/).fill('DELETE');

    await loseRoleWhileOpen(
      pageA,
      { username: 'bea', role: 'editor' },
      question,
      question.getByRole('button', { name: 'Delete permanently' }),
      'Only an admin can delete entries permanently; you are signed in as an editor. Your role changed while this was open; nothing was deleted.',
    );
    expect((await b.app.caller.trash.list({ limit: 10 })).items).toHaveLength(1);
  } finally {
    await close();
  }
});
