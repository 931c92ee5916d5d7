import { expect, openScreen, openTransfer, test } from './fixtures';
import { backupNow, seriesNames } from './safety-helpers-restore';
import { loseRoleWhileOpen } from './safety-helpers-roles';
import { startAdaAndAnotherBehindProxies, teamPerson } from './sync-fixtures';

/**
 * An admin with a backup or snapshot restore question open is made an editor by another admin: the open
 * question follows the role at once, as the purge question does. It says why and offers no restore, instead
 * of taking the click and being refused by the core.
 */
const bea = teamPerson('Bea', 'admin');
const BEA_TO_EDITOR = { username: bea.username, role: 'editor' } as const;
const LOST =
  'Only an admin can restore a backup; you are signed in as an editor. Your role changed while this was open; nothing was restored.';

test('an open backup restore question says so and offers no restore once the admin is made an editor', async ({
  browser,
}) => {
  test.setTimeout(150_000);
  const { b, pageA, pageB, close } = await startAdaAndAnotherBehindProxies(browser, bea);
  try {
    await b.app.caller.entities.create({ type: 'series', fields: { name: 'Walks' } });
    const file = await backupNow(b.app);
    await b.app.caller.entities.create({ type: 'series', fields: { name: 'Talks' } });

    await openTransfer(pageB);
    await pageB.getByLabel('Restore from a backup file').setInputFiles(file);
    const question = pageB.getByRole('dialog', { name: 'Restore this backup?' });
    await question.getByLabel(/Make it exactly the backup/).check();
    await question.getByLabel('Type REPLACE to confirm').fill('REPLACE');

    await loseRoleWhileOpen(pageA, BEA_TO_EDITOR, question, question.getByRole('button', { name: 'Restore' }), LOST);
    expect(await seriesNames(b.app)).toEqual(['Talks', 'Walks']);
  } finally {
    await close();
  }
});

test('an open snapshot restore question says so and offers no restore once the admin is made an editor', async ({
  browser,
}) => {
  test.setTimeout(150_000);
  const { b, pageA, pageB, close } = await startAdaAndAnotherBehindProxies(browser, bea);
  try {
    // An import takes a safety snapshot first: the one offered below, from before Talks.
    await b.app.caller.backup.importEntities({ type: 'series', format: 'csv', content: 'name\nTalks' });

    await openScreen(pageB, 'Settings');
    await pageB
      .getByRole('table', { name: 'Safety snapshots' })
      .getByRole('button', { name: /^Restore the snapshot of/ })
      .first()
      .click();
    const question = pageB.getByRole('dialog', { name: 'Restore this snapshot?' });

    await loseRoleWhileOpen(
      pageA,
      BEA_TO_EDITOR,
      question,
      question.getByRole('button', { name: 'Restore snapshot' }),
      LOST,
    );
    expect(await seriesNames(b.app)).toEqual(['Talks']);
  } finally {
    await close();
  }
});
