import { expect, test } from './fixtures';
import { changeRole, openScreenNamed, trashRexSeenBy } from './safety-helpers-roles';
import { PASSWORD, startAdaAndAnotherBehindProxies } from './sync-fixtures';

/**
 * An editor with the restore-from-trash question open is made a viewer by an admin: the open question follows
 * the role at once. It says why and offers no restore, instead of taking the click and being refused by the core.
 */
test('an open restore-from-trash question says so and offers no restore once the editor is made a viewer', async ({
  browser,
}) => {
  test.setTimeout(150_000);
  const eddie = { username: 'eddie', name: 'Eddie Editor', password: PASSWORD, role: 'editor' } as const;
  const { a, b, pageA, pageB, close } = await startAdaAndAnotherBehindProxies(browser, eddie);
  try {
    await trashRexSeenBy(a.app, b.app);

    await openScreenNamed(pageB, 'Trash');
    await pageB.getByRole('button', { name: 'Restore Rex' }).click();
    const question = pageB.getByRole('dialog', { name: 'Restore “Rex” from the trash?' });
    await expect(question.getByRole('region', { name: 'What the restore does' })).toContainText('Rex');
    await expect(question.getByRole('button', { name: 'Restore', exact: true })).toBeEnabled();

    await changeRole(pageA, 'eddie', 'viewer');

    await expect(question.getByRole('alert')).toHaveText(
      'Only an editor or admin can restore entries from the trash; you are signed in as a viewer. Your role changed while this was open; nothing was restored.',
      { timeout: 20_000 },
    );
    await expect(question.getByRole('button', { name: 'Restore', exact: true })).toBeDisabled();
    await question.getByRole('button', { name: 'Cancel' }).click();
    expect((await b.app.caller.trash.list({ limit: 10 })).items).toHaveLength(1);
  } finally {
    await close();
  }
});
