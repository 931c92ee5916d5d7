import { expect, test } from './fixtures';
import { openTeam, withTeam } from './team-helpers';

/**
 * The last enabled admin is not offered a change the server refuses: making themselves an editor,
 * disabling or erasing themselves. The dialog asks the server first (a dry run) and says why, with
 * nothing to confirm. Once another admin exists, the same change is offered and applies.
 */
test('the last admin is not offered demoting, disabling or erasing themselves; with a second admin, they are', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  await withTeam(browser, async (team) => {
    const ada = await team.signedIn('Ada', 'ada');
    const page = ada.page;
    await openTeam(page);
    const refusal = 'This is the last enabled admin; make another user admin first.';

    await page.getByLabel('Role of ada').selectOption('editor');
    const demote = page.getByRole('dialog', { name: 'Make ada an editor?' });
    await expect(demote.getByRole('alert')).toHaveText(refusal);
    await expect(demote).toContainText('Nothing was changed.');
    await expect(demote.getByRole('button', { name: /Change role/ })).toHaveCount(0);
    await demote.getByRole('button', { name: 'Close' }).click();
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await expect(page.getByLabel('Role of ada')).toHaveValue('admin');

    await page.getByRole('button', { name: 'Disable ada' }).click();
    const disable = page.getByRole('dialog', { name: 'Disable ada?' });
    await expect(disable.getByRole('alert')).toHaveText(refusal);
    await expect(disable.getByRole('button', { name: 'Disable ada' })).toHaveCount(0);
    await disable.getByRole('button', { name: 'Close' }).click();

    await page.getByRole('button', { name: 'Erase ada' }).click();
    const erase = page.getByRole('dialog', { name: 'Erase ada?' });
    await expect(erase.getByRole('alert')).toHaveText(refusal);
    await erase.getByLabel(/Type ada/).fill('ada');
    await expect(erase.getByRole('button', { name: 'Erase ada' })).toBeDisabled();
    await erase.getByRole('button', { name: 'Cancel' }).click();

    // With Eddie an admin too, Ada may step down: the question is asked and the change applies.
    await page.getByLabel('Role of eddie').selectOption('admin');
    await page.getByRole('dialog').getByRole('button', { name: 'Change role to admin' }).click();
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await page.getByLabel('Role of ada').selectOption('editor');
    const stepDown = page.getByRole('dialog', { name: 'Make ada an editor?' });
    // Her own account: said to her, with what she loses here and now.
    await expect(stepDown).toContainText('You will become an editor: you can no longer');
    await expect(stepDown).toContainText('The Team screen closes for you as soon as you confirm');
    await stepDown.getByRole('button', { name: 'Change role to editor' }).click();
    await expect(page.getByRole('main')).toContainText(
      'Only an admin can manage the team; you are signed in as an editor.',
      { timeout: 20_000 },
    );
  });
});
