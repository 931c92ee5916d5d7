/**
 * Issue 15: the admin's whole job and each user's own account, from the app. A real sync server,
 * real cores and one browser context per device.
 */
import { expectNoAxeViolations } from './axe';
import { expect, openScreenNamed, snap, test } from './fixtures';
import { PASSWORD, syncBadge } from './sync-fixtures';
import {
  downloadedText,
  expectSignedOutByServer,
  fillSetupSignIn,
  openTeam,
  shownSetupLink,
  signInAgain,
  withTeam,
} from './team-helpers';

const NEW_PASSWORD = 'copper-meadow-violin-58';

test('TEAM-1: invite, accept and sign in; a withdrawn code is refused, a new one works', async ({ browser }) => {
  test.setTimeout(180_000);
  await withTeam(browser, async (team) => {
    const ada = await team.signedIn('Ada', 'ada');
    const users = await openTeam(ada.page);
    const add = ada.page.getByRole('form', { name: 'Add a user' });
    await add.getByLabel('User name').fill('zoe');
    await add.getByLabel('Full name').fill('Zoe Viewer');
    await add.getByLabel('Role').selectOption('viewer');
    await add.getByRole('button', { name: 'Add user and invite' }).click();
    const firstLink = await shownSetupLink(ada.page, 'zoe');
    expect(firstLink).toMatch(/^curio:\/\/setup\?/);
    await expect(users.getByRole('row', { name: /zoe/ })).toContainText('invited; the code expires');

    // Withdrawn, the code no longer works, and the sign-in form says so.
    await users.getByRole('button', { name: 'Withdraw setup code of zoe' }).click();
    const withdraw = ada.page.getByRole('dialog', { name: 'Withdraw the setup code of zoe?' });
    await expect(withdraw).toContainText('cannot sign in until you create a new invitation');
    await withdraw.getByRole('button', { name: 'Withdraw the code' }).click();
    await expect(users.getByRole('row', { name: /zoe/ })).toContainText('invited; no open code');
    const zoe = await team.device('Zoe');
    let form = await fillSetupSignIn(zoe.page, firstLink, NEW_PASSWORD);
    await form.getByRole('button', { name: 'Set password and sign in' }).click();
    await expect(form.getByRole('alert')).toContainText('withdrawn');

    // A new invitation: the dialog says what it does, the code is shown once.
    await users.getByRole('button', { name: 'New invitation for zoe' }).click();
    const invite = ada.page.getByRole('dialog', { name: 'New invitation for zoe?' });
    await expect(invite).toContainText('Zoe Viewer chooses a password with the code');
    await invite.getByRole('button', { name: 'Create an invitation code' }).click();
    await snap(ada.page, 'team-1-invitation');
    const link = await shownSetupLink(ada.page, 'zoe');
    expect(link).not.toBe(firstLink);

    // Zoe pastes the link: it fills the form; the policy's advice shows while she types.
    form = await fillSetupSignIn(zoe.page, link, 'password12');
    await expect(form.getByLabel('Server address')).toHaveValue(team.server.url);
    await expect(form.getByLabel('User name')).toHaveValue('zoe');
    await expect(form.getByText(/Password strength: .*too easy to guess/)).toBeVisible();
    await form.getByRole('button', { name: 'Set password and sign in' }).click();
    await expect(form.getByRole('alert')).toContainText(/password/i);
    await form.getByLabel('Choose a password').fill(NEW_PASSWORD);
    await expect(form.getByText('Password strength: Strong enough.')).toBeVisible();
    await form.getByRole('button', { name: 'Set password and sign in' }).click();
    await expect(syncBadge(zoe.page)).toHaveAccessibleName(/^Sync status: In sync/, { timeout: 20_000 });

    // The admin's list shows her active, with her last sign-in's device.
    await ada.page.reload();
    const row = (await openTeam(ada.page)).getByRole('row', { name: /zoe/ });
    await expect(row).toContainText('active');
    await expect(row).toContainText("on Zoe's browser");
  });
});

test('TEAM-2: a password reset ends the old sessions on the other device when the code is used', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  await withTeam(browser, async (team) => {
    const ada = await team.signedIn('Ada', 'ada');
    const eddie = await team.signedIn('Eddie', 'eddie');
    const users = await openTeam(ada.page);
    await users.getByRole('button', { name: 'Reset password of eddie' }).click();
    const reset = ada.page.getByRole('dialog', { name: 'Reset the password of eddie?' });
    await expect(reset).toContainText(
      "When Eddie Editor uses the code, Eddie Editor will be signed out on 1 device (Eddie's browser).",
    );
    await reset.getByRole('button', { name: 'Create a reset code' }).click();
    const link = await shownSetupLink(ada.page, 'eddie');
    await expect(users.getByRole('row', { name: /eddie/ })).toContainText('password reset pending');
    await snap(ada.page, 'team-2-reset-code');
    await ada.close();

    // Eddie uses the code on a new device; his old device is signed out by the server.
    const laptop = await team.device('Eddie laptop');
    const form = await fillSetupSignIn(laptop.page, link, NEW_PASSWORD);
    await form.getByRole('button', { name: 'Set password and sign in' }).click();
    await expect(syncBadge(laptop.page)).toHaveAccessibleName(/^Sync status: In sync/, { timeout: 20_000 });
    await expectSignedOutByServer(eddie.page);
    await snap(eddie.page, 'team-2-old-device-signed-out');
    // The old password is gone: the old device signs in again with the new one.
    await openScreenNamed(eddie.page, 'Sync');
    const again = eddie.page.getByRole('form', { name: 'Sign in to a sync server' });
    await again.getByLabel('Password').fill(PASSWORD);
    await again.getByRole('button', { name: 'Sign in' }).click();
    await expect(again.getByRole('alert')).toContainText(/wrong/i);
    await signInAgain(eddie.page, NEW_PASSWORD);
  });
});

test('TEAM-3: a user changes their own password and signs out their other devices', async ({ browser }) => {
  test.setTimeout(180_000);
  await withTeam(browser, async (team) => {
    const desk = await team.signedIn('Eddie desk', 'eddie');
    const phone = await team.signedIn('Eddie phone', 'eddie');
    await openScreenNamed(desk.page, 'Account');
    const sessions = desk.page.getByRole('table', { name: 'Your sessions' });
    await expect(sessions).toContainText("Eddie desk's browser (this device)");
    await expect(sessions).toContainText("Eddie phone's browser");

    const change = desk.page.getByRole('form', { name: 'Change your password' });
    await change.getByLabel('Current password').fill('not-my-password-at-all');
    await change.getByLabel('New password').fill(NEW_PASSWORD);
    await expect(change.getByText('Password strength: Strong enough.')).toBeVisible();
    await change.getByRole('button', { name: 'Change password' }).click();
    await expect(change.getByRole('alert')).toContainText('The current password is wrong.');
    await change.getByLabel('Current password').fill(PASSWORD);
    await change.getByRole('button', { name: 'Change password' }).click();
    await expect(change.getByRole('status')).toContainText('Password changed. Signed out on 1 device');
    await expectSignedOutByServer(phone.page);
    await expect(syncBadge(desk.page)).toHaveAccessibleName(/^Sync status: In sync/);

    // The phone signs in with the new password; then the desk signs out every other device.
    await signInAgain(phone.page, NEW_PASSWORD);
    await desk.page.reload();
    await expect(desk.page.getByRole('table', { name: 'Your sessions' })).toContainText("Eddie phone's browser");
    await desk.page.getByRole('button', { name: 'Sign out all other devices' }).click();
    const confirm = desk.page.getByRole('dialog', { name: 'Sign out all other devices?' });
    await expect(confirm).toContainText('You will be signed out on 1 device; this device stays signed in.');
    await confirm.getByRole('button', { name: 'Sign out other devices' }).click();
    await expectSignedOutByServer(phone.page);
    await expect(desk.page.getByRole('table', { name: 'Your sessions' })).not.toContainText("Eddie phone's browser");
    await snap(desk.page, 'team-3-account');
    await expectNoAxeViolations(desk.page, 'Account');
  });
});

test('TEAM-4: erase a person after downloading their data and typing their user name', async ({ browser }) => {
  test.setTimeout(180_000);
  await withTeam(browser, async (team) => {
    const ada = await team.signedIn('Ada', 'ada');
    const eddie = await team.signedIn('Eddie', 'eddie');
    const users = await openTeam(ada.page);
    await users.getByRole('button', { name: 'Erase eddie' }).click();
    const erase = ada.page.getByRole('dialog', { name: 'Erase eddie?' });
    await expect(erase).toContainText("Eddie Editor will be signed out on 1 device (Eddie's browser).");
    await expect(erase).toContainText('This cannot be undone.');
    const confirm = erase.getByRole('button', { name: 'Erase eddie' });
    await expect(confirm).toBeDisabled();

    const [download] = await Promise.all([
      ada.page.waitForEvent('download'),
      erase.getByRole('button', { name: 'Download the data of eddie first' }).click(),
    ]);
    const data = await downloadedText(download);
    expect(data).toContain('"eddie"');
    await erase.getByLabel('Type eddie to confirm').fill('eddi');
    await expect(confirm).toBeDisabled();
    await erase.getByLabel('Type eddie to confirm').fill('eddie');
    await snap(ada.page, 'team-4-erase');
    await confirm.click();
    await expect(erase).toBeHidden();
    await expect(users).not.toContainText('Eddie Editor');
    await expectSignedOutByServer(eddie.page);
  });
});

test('TEAM-5: filter and export the server audit; the server panel', async ({ browser }) => {
  test.setTimeout(180_000);
  await withTeam(browser, async (team) => {
    await team.signedIn('Eddie', 'eddie');
    const ada = await team.signedIn('Ada', 'ada');
    await openTeam(ada.page);
    const audit = ada.page.getByRole('table', { name: 'Server audit' });
    const filters = ada.page.getByRole('search', { name: 'Filter the server audit' });
    await filters.getByLabel('Action').selectOption('login.succeeded');
    await filters.getByLabel('Actor').fill('eddie');
    await expect(audit.getByRole('row')).toHaveCount(2); // the header and Eddie's sign-in
    await expect(audit.getByRole('row').nth(1)).toContainText(/login\.succeeded\s*eddie/);
    await filters.getByLabel('Actor').fill('');
    await expect(audit).toContainText(/login\.succeeded\s*ada/);
    await filters.getByLabel('Actor').fill('eddie');
    await expect(audit).not.toContainText(/login\.succeeded\s*ada/);

    const today = new Date();
    const day = (d: Date) =>
      `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    const from = filters.getByLabel('From', { exact: true });
    const to = filters.getByLabel('To', { exact: true });
    await from.fill(day(today));
    await expect(audit.getByRole('row')).toHaveCount(2);
    await from.fill('');
    await to.fill(day(new Date(today.getTime() - 86_400_000 * 2)));
    await expect(ada.page.getByText('No server audit entries match these filters.')).toBeVisible();
    await to.fill('');

    const exports = ada.page.getByRole('group', { name: 'Export the server audit' });
    const [download] = await Promise.all([
      ada.page.waitForEvent('download'),
      exports.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    await expect(exports.getByRole('status')).toContainText('Exported 1 row.');
    const csv = (await downloadedText(download)).trim().split(/\r?\n/);
    expect(csv).toHaveLength(2);
    expect(csv[1]).toContain('login.succeeded');
    expect(csv[1]).toContain('eddie');
    expect(csv.join('\n')).not.toContain('ada');

    const server = ada.page.getByRole('region', { name: 'Server', exact: true });
    await expect(server).toContainText('SQLite');
    await expect(server.getByLabel('Server details')).toContainText(/Users\s*2/);
    await snap(ada.page, 'team-5-audit');
    await expectNoAxeViolations(ada.page, 'Team (admin)');
  });
});

test('TEAM-6: a team of 1,000 people: the server searches, sorts and pages the user list', async ({ browser }) => {
  test.setTimeout(180_000);
  await withTeam(browser, async (team) => {
    for (let i = 1; i <= 1000; i += 1) {
      const n = String(i).padStart(4, '0');
      await team.server.createUser({ username: `member-${n}`, name: `Member ${n}`, role: 'viewer' });
    }
    const ada = await team.signedIn('Ada', 'ada');
    const users = await openTeam(ada.page);
    const pages = ada.page.getByRole('group', { name: 'Pages of users' });
    await expect(pages.getByRole('status')).toHaveText('Users 1–50 of 1,002');
    await expect(users.getByRole('row')).toHaveCount(51);
    await pages.getByRole('button', { name: 'Next page' }).click();
    await expect(pages.getByRole('status')).toHaveText('Users 51–100 of 1,002');
    await expect(users.getByRole('row').nth(1)).toContainText('member-0049');

    const find = ada.page.getByRole('search', { name: 'Find users' });
    await find.getByLabel('Sort by').selectOption('name');
    await find.getByLabel('Order').selectOption('desc');
    await expect(pages.getByRole('status')).toHaveText('Users 1–50 of 1,002');
    await expect(users.getByRole('row').nth(1)).toContainText('Member 1000');
    await find.getByLabel('Search users').fill('member-0777');
    await expect(pages.getByRole('status')).toHaveText('Users 1–1 of 1');
    await expect(users.getByRole('row').nth(1)).toContainText('invited');
    await find.getByLabel('Search users').fill('nobody-by-this-name');
    await expect(ada.page.getByText('No users match the search.')).toBeVisible();
  });
});
