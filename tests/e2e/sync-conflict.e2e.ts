import type { Page } from '@playwright/test';
import { expect, openLibrary, snap, test } from './fixtures';
import { startAdaAndEddieBehindProxies } from './sync-fixtures';

async function editBreed(page: Page, breed: string): Promise<void> {
  await openLibrary(page, 'Dogs');
  await page.getByRole('row', { name: /Rex/ }).click();
  const form = page.getByRole('form', { name: 'dog form' });
  await form.getByLabel('Breed').fill(breed);
  await form.getByRole('button', { name: /^Save/ }).click();
  await expect(form.getByRole('status')).toHaveText('Saved.');
  await page.keyboard.press('Escape');
}

test('the same field edited offline on two instances: reconnect, resolve, both converge', async ({ browser }) => {
  test.setTimeout(120_000);
  const { proxyA, proxyB, a, b, pageA, pageB, close } = await startAdaAndEddieBehindProxies(browser);
  try {
    await snap(pageA, 'sync-signed-in');

    // A dog made on A reaches B live.
    await a.app.caller.entities.create({ type: 'dog', fields: { name: 'Rex', breed: 'Collie' } });
    await openLibrary(pageB, 'Dogs');
    await expect(pageB.getByRole('grid', { name: 'Dogs' })).toContainText('Collie', { timeout: 20_000 });

    // Both go offline and change the same field.
    proxyA.setOnline(false);
    proxyB.setOnline(false);
    await editBreed(pageA, 'Beagle');
    await editBreed(pageB, 'Poodle');
    await expect(pageA.getByRole('button', { name: /^Sync status: Offline · \d+ waiting/ })).toBeVisible({
      timeout: 20_000,
    });

    // A reconnects first; B's push then meets A's write: a recorded conflict, which replicates to A.
    proxyA.setOnline(true);
    await expect(pageA.getByRole('button', { name: /^Sync status: In sync\./ })).toBeVisible({ timeout: 20_000 });
    proxyB.setOnline(true);
    const badge = pageA.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /^Conflicts/ });
    await expect(badge).toContainText('1', { timeout: 30_000 });

    // The admin opens it, sees base, local and server side by side, types a value and resolves.
    await badge.click();
    await pageA.getByRole('table', { name: 'Conflicts' }).getByRole('button', { name: /Rex/ }).click();
    const comparison = pageA.getByRole('table', { name: 'Field comparison' });
    await expect(comparison.getByRole('row', { name: /Breed/ })).toContainText('Collie');
    await expect(comparison.getByRole('row', { name: /Breed/ })).toContainText('Beagle');
    await expect(comparison.getByRole('row', { name: /Breed/ })).toContainText('Poodle');
    await snap(pageA, 'conflicts');
    await pageA.getByRole('radiogroup', { name: 'Keep for Breed' }).getByLabel('Type a value').check();
    await pageA.getByLabel('Value for Breed').fill('Beagle-Poodle mix');
    await pageA.getByRole('button', { name: 'Resolve' }).click();
    await expect(pageA.getByRole('status').filter({ hasText: 'This conflict is resolved' })).toBeVisible();
    await expect(badge).not.toContainText('1');

    // Both instances converge on the resolved value.
    for (const page of [pageA, pageB]) {
      await openLibrary(page, 'Dogs');
      await expect(page.getByRole('grid', { name: 'Dogs' })).toContainText('Beagle-Poodle mix', { timeout: 20_000 });
    }
    const [dogA] = (await a.app.caller.entities.list({ type: 'dog' })).items;
    const [dogB] = (await b.app.caller.entities.list({ type: 'dog' })).items;
    expect(dogA).toEqual(dogB);
    await snap(pageB, 'sync-converged');

    // The admin manages the team through the same app: users, a new user, sessions, the server's audit.
    await pageA.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /^Team/ }).click();
    const users = pageA.getByRole('table', { name: 'Users' });
    await expect(users).toContainText('eddie');
    const add = pageA.getByRole('form', { name: 'Add a user' });
    await add.getByLabel('User name').fill('zoe');
    await add.getByLabel('Full name').fill('Zoe Viewer');
    await add.getByLabel('Password').fill('short');
    // The form explains the shared password policy while typing (AUTH-6); the server checks it again.
    await expect(add.getByText('The password must have at least 10 characters.')).toBeVisible();
    await add.getByLabel('Role').selectOption('viewer');
    await add.getByRole('button', { name: 'Add user' }).click();
    await expect(add.getByRole('alert')).toContainText(/password/i);
    await add.getByLabel('Password').fill('Zoe Viewer 1');
    await expect(add.getByText(/too easy to guess\. It contains the user name or display name/)).toBeVisible();
    await add.getByLabel('Password').fill('violet-harbor-lantern-7');
    await expect(add.getByText('Strong enough.')).toBeVisible();
    await add.getByRole('button', { name: 'Add user' }).click();
    await expect(users).toContainText('Zoe Viewer');
    await expect(pageA.getByRole('table', { name: 'Sessions' })).toContainText('eddie');
    await expect(pageA.getByRole('table', { name: 'Server audit' })).toContainText(/login/);
    await snap(pageA, 'team');
    // The screen follows the role: an editor has no Team entry (SAFETY-9 covers the refused route).
    await expect(pageB.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /^Team/ })).toHaveCount(0);
  } finally {
    await close();
  }
});
