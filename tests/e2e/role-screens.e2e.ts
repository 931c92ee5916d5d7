import type { Role } from '../../shared/protocol';
import { expect, openLibrary, openScreenNamed, test, type RunningApp } from './fixtures';
import type { Page } from '@playwright/test';

/** Acts as `role` from now on (the core's session, as a sign-in would set it) and reloads the page. */
async function actAs(page: Page, app: RunningApp, role: Role): Promise<void> {
  app.core.context.setSession({ actor: { id: `e2e:${role}`, name: `Robin ${role}` }, role });
  await page.reload();
}

const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' });

// <SAFETY-9: screens follow the role: the Team screen is an admin's, in the navigation and as a route>
test('SAFETY-9: editors and viewers see no Team entry, and a Team screen reached anyway says why and shows nothing of it', async ({
  page,
  app,
}) => {
  await page.goto(app.url);
  // The admin has it, and leaves the app on it (the screen is kept across reloads).
  await openScreenNamed(page, 'Team');
  await expect(page.getByRole('heading', { level: 2, name: 'Team' })).toBeVisible();

  for (const role of ['editor', 'viewer'] as const) {
    await actAs(page, app, role);
    await expect(nav(page).getByRole('button', { name: /^Account/ })).toBeVisible();
    await expect(nav(page).getByRole('button', { name: /^Team/ })).toHaveCount(0);
    // The persisted route is refused with the table's reason; nothing of the Team screen is shown.
    await expect(page.getByRole('alert')).toHaveText(
      `Only an admin can manage the team; you are signed in as ${role === 'editor' ? 'an editor' : 'a viewer'}.`,
    );
    await expect(page.getByRole('heading', { level: 2, name: 'Team' })).toHaveCount(0);
  }

  await actAs(page, app, 'admin');
  await expect(page.getByRole('heading', { level: 2, name: 'Team' })).toBeVisible();
  await expect(nav(page).getByRole('button', { name: /^Team/ })).toBeVisible();
});

// <SAFETY-10: a role that cannot create gets no new-entry form, from the button or the shortcut>
test('SAFETY-10: Ctrl+N opens no form for a viewer, only a short notice, and the library has no New button', async ({
  page,
  app,
}) => {
  await page.goto(app.url);
  await actAs(page, app, 'viewer');
  await openLibrary(page, 'Dogs');
  await expect(page.getByRole('status', { name: 'Your role' })).toBeVisible();
  await expect(page.getByRole('button', { name: /^New dog/ })).toHaveCount(0);

  await page.keyboard.press('Control+n');
  await expect(page.getByRole('status', { name: 'Shortcut' })).toHaveText(
    'Only an editor or admin can create entries; you are signed in as a viewer.',
  );
  await expect(page.getByRole('complementary')).toHaveCount(0);
  await expect(page.getByRole('form', { name: 'dog form' })).toHaveCount(0);
  await expect(page.getByRole('status', { name: 'Shortcut' })).toHaveCount(0, { timeout: 15_000 });

  // An editor gets the form from both.
  await actAs(page, app, 'editor');
  await openLibrary(page, 'Dogs');
  await expect(page.getByRole('button', { name: /^New dog/ })).toBeEnabled();
  await page.keyboard.press('Control+n');
  await expect(page.getByRole('heading', { name: 'New dog' })).toBeVisible();
  await expect(page.getByRole('form', { name: 'dog form' }).getByLabel('Name', { exact: true })).toBeEnabled();
});
