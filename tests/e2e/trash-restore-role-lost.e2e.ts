import { expect, openScreenNamed, test } from './fixtures';
import { loseRoleWhileOpen, trashRexSeenBy } from './safety-helpers-roles';
import { startAdaAndEddieBehindProxies } from './sync-fixtures';

/**
 * An editor with the restore-from-trash question open is made a viewer by an admin: the open question follows
 * the role at once. It says why and offers no restore, instead of taking the click and being refused by the core.
 */
test('an open restore-from-trash question says so and offers no restore once the editor is made a viewer', async ({
  browser,
}) => {
  test.setTimeout(150_000);
  const { a, b, pageA, pageB, close } = await startAdaAndEddieBehindProxies(browser);
  try {
    await trashRexSeenBy(a.app, b.app);

    await openScreenNamed(pageB, 'Trash');
    await pageB.getByRole('button', { name: 'Restore Rex' }).click();
    const question = pageB.getByRole('dialog', { name: 'Restore “Rex” from the trash?' });
    await expect(question.getByRole('region', { name: 'What the restore does' })).toContainText('Rex');

    await loseRoleWhileOpen(
      pageA,
      { username: 'eddie', role: 'viewer' },
      question,
      question.getByRole('button', { name: 'Restore', exact: true }),
      'Only an editor or admin can restore entries from the trash; you are signed in as a viewer. Your role changed while this was open; nothing was restored.',
    );
    expect((await b.app.caller.trash.list({ limit: 10 })).items).toHaveLength(1);
  } finally {
    await close();
  }
});
