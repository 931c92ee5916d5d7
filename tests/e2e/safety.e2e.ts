/**
 * Issue 11: the places where people act are as safe as the engine under them.
 * One test per numbered point of the issue (SAFETY-1 … SAFETY-8); two browser
 * contexts, two cores and a real server where two people are involved.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, openLibrary, openScreen, openScreenNamed, snap, test } from './fixtures';
import { npmStart } from './safety-helpers-restart';
import { convergedTitle, liveDocumentValve, openVideo, saveForm, startTwoPeople } from './safety-helpers-editor';
import { backupNow, seriesNames } from './safety-helpers-restore';
import { badge, changeRole, startTeam } from './safety-helpers-roles';

// <SAFETY-1: an open editor follows its document live and never overwrites an unseen change>
test('SAFETY-1: an open editor follows its document live; a field changed on both sides waits for a choice', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const team = await startTwoPeople(browser);
  const { ada, eddie } = team;
  try {
    const video = await ada.app.caller.entities.create({
      type: 'video',
      fields: { title: 'Morning walk', description: 'By the river' },
    });
    await openLibrary(eddie.page, 'Videos');
    await expect(eddie.page.getByRole('grid', { name: 'Videos' })).toContainText('Morning walk', { timeout: 20_000 });
    const formA = await openVideo(ada.page, /Morning walk/);
    const formB = await openVideo(eddie.page, /Morning walk/);

    // Untouched fields follow in place, with a quiet note; Eddie's own edit of another field stays.
    await formB.getByLabel('Description').fill('Along the dam');
    await formA.getByLabel('Title', { exact: true }).fill('Evening walk');
    await saveForm(formA);
    await expect(formB.getByLabel('Title', { exact: true })).toHaveValue('Evening walk', { timeout: 20_000 });
    await expect(formB.getByLabel('Changes by others')).toHaveText('Ada Admin changed Title.');
    await expect(formB.getByLabel('Description')).toHaveValue('Along the dam');
    await saveForm(formB);
    await convergedTitle(ada.app, eddie.app, video.id, 'Evening walk');
    await expect(formA.getByLabel('Description')).toHaveValue('Along the dam', { timeout: 20_000 });

    // Both change the title: Eddie sees both values inline and cannot save until he chooses.
    await formB.getByLabel('Title', { exact: true }).fill('Walk at noon');
    await formA.getByLabel('Title', { exact: true }).fill('Dusk walk');
    await saveForm(formA);
    const choice = formB.getByRole('group', { name: 'Title: choose a value' });
    await expect(choice).toContainText('Walk at noon', { timeout: 20_000 });
    await expect(choice).toContainText('Dusk walk');
    await expect(choice).toContainText('Ada Admin');
    await snap(eddie.page, 'safety-1-choose');
    await formB.getByRole('button', { name: /^Save/ }).click();
    await expect(formB.getByRole('alert')).toContainText('Choose which value to keep for Title');
    await expect(formB.getByRole('status')).not.toHaveText('Saved.');
    await convergedTitle(ada.app, eddie.app, video.id, 'Dusk walk');
    await choice.getByRole('button', { name: 'Keep yours' }).click();
    await expect(choice).toBeHidden();
    await saveForm(formB);
    await convergedTitle(ada.app, eddie.app, video.id, 'Walk at noon');
    await expect(formA.getByLabel('Title', { exact: true })).toHaveValue('Walk at noon', { timeout: 20_000 });

    // A draft restored after a reload keeps its bases: Ada's later title is offered, not overwritten.
    await formB.getByLabel('Title', { exact: true }).fill('Rainy walk');
    await expect(formB.getByRole('status')).toHaveText('Unsaved changes (kept as a draft).');
    await eddie.page.reload();
    await formA.getByLabel('Title', { exact: true }).fill('Sunny walk');
    await saveForm(formA);
    await convergedTitle(ada.app, eddie.app, video.id, 'Sunny walk');
    const reopened = await openVideo(eddie.page, /Sunny walk/);
    await expect(reopened.getByRole('status')).toHaveText('Restored your unsaved changes.');
    const again = reopened.getByRole('group', { name: 'Title: choose a value' });
    await expect(again).toContainText('Rainy walk');
    await expect(again).toContainText('Sunny walk');
    await again.getByRole('button', { name: /^Use Ada Admin/ }).click();
    await expect(reopened.getByLabel('Title', { exact: true })).toHaveValue('Sunny walk');
    await reopened.getByRole('button', { name: /^Save/ }).click();
    await convergedTitle(ada.app, eddie.app, video.id, 'Sunny walk');
  } finally {
    await team.close();
  }
});

test('SAFETY-1: a save that raced a change it had not seen is refused and offered as the same choice', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  let valve: Awaited<ReturnType<typeof liveDocumentValve>> | undefined;
  const team = await startTwoPeople(browser, async (context, person) => {
    if (person === 'eddie') valve = await liveDocumentValve(context);
  });
  const { ada, eddie } = team;
  try {
    const video = await ada.app.caller.entities.create({ type: 'video', fields: { title: 'Morning walk' } });
    await openLibrary(eddie.page, 'Videos');
    await expect(eddie.page.getByRole('grid', { name: 'Videos' })).toContainText('Morning walk', { timeout: 20_000 });
    const formB = await openVideo(eddie.page, /Morning walk/);
    await formB.getByLabel('Title', { exact: true }).fill('Walk at noon');

    // Ada's title reaches Eddie's core, but not yet his open form: his save races it.
    valve!.freeze();
    await ada.app.caller.entities.update({
      type: 'video',
      id: video.id,
      fields: { title: 'Evening walk' },
      bases: { title: 'Morning walk' },
    });
    await convergedTitle(ada.app, eddie.app, video.id, 'Evening walk');
    await formB.getByRole('button', { name: /^Save/ }).click();
    const choice = formB.getByRole('group', { name: 'Title: choose a value' });
    await expect(choice).toContainText('Walk at noon');
    await expect(choice).toContainText('Evening walk');
    await expect(formB.getByRole('alert')).toContainText('Not saved');
    await expect(formB.getByRole('status')).not.toHaveText('Saved.');
    await expect(formB.getByLabel('Title', { exact: true })).toHaveValue('Walk at noon');
    await convergedTitle(ada.app, eddie.app, video.id, 'Evening walk');

    valve!.thaw();
    await choice.getByRole('button', { name: 'Keep yours' }).click();
    await saveForm(formB);
    await convergedTitle(ada.app, eddie.app, video.id, 'Walk at noon');
  } finally {
    await team.close();
  }
});

// <SAFETY-2: purge previews, respects the retention floor and asks for a typed word>
test('SAFETY-2: purge shows what it deletes, keeps the retention floor and needs DELETE typed', async ({
  page,
  app,
}) => {
  const rex = await app.caller.entities.create({ type: 'dog', fields: { name: 'Rex' } });
  const walk = await app.caller.entities.create({ type: 'video', fields: { title: 'Walk', dogs: [rex.id] } });
  await app.caller.trash.trash({ items: [{ type: 'dog', id: rex.id }] });
  await page.goto(app.url);
  await openScreen(page, 'Trash');
  await expect(page.getByRole('table', { name: 'Entries in the trash' })).toContainText('Rex');

  // Settings say 30 days: the field starts there, and below it the purge is not offered.
  const days = page.getByLabel('Older than (days)');
  await expect(days).toHaveValue('30');
  await days.fill('0');
  await expect(page.getByText('At least 30 days (the retention in Settings)')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Purge…' })).toBeDisabled();

  // Going below is the explicit choice, and it is previewed like any purge.
  await page.getByLabel('Everything in the trash').check();
  await page.getByRole('button', { name: 'Purge…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Purge the trash?' });
  await expect(dialog.getByRole('status')).toHaveText('1 entry: 1 dog.');
  await expect(dialog).toContainText('1 reference is removed from 1 entry:');
  await expect(dialog.getByRole('list', { name: 'References removed from' })).toHaveText('Video: Walk (1)');
  await snap(page, 'safety-2-purge-preview');
  const confirm = dialog.getByRole('button', { name: 'Purge permanently' });
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel('Type DELETE to confirm').fill('delete');
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel('Type DELETE to confirm').fill('DELETE');
  await confirm.click();
  await expect(dialog.getByRole('status')).toContainText('Purged 1 entry.');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(page.getByText('The trash is empty.')).toBeVisible();
  expect(await app.caller.entities.get({ type: 'video', id: walk.id })).toMatchObject({ dogs: [] });

  // Only admins purge: others see why the button is off.
  app.core.context.setSession({ actor: { id: 'e2e:ed', name: 'Ed Editor' }, role: 'editor' });
  await page.reload();
  await openScreen(page, 'Trash');
  await expect(page.getByRole('button', { name: 'Purge…' })).toBeDisabled();
  await expect(page.getByText('Only an admin can purge the trash; you are signed in as an editor.')).toBeVisible();
});

// <SAFETY-3: restore previews, never replaces a newer version by default, safety snapshots>
test('SAFETY-3: restore previews, keeps a newer rename by default; Settings lists the snapshot and restores it', async ({
  page,
  app,
}) => {
  const walks = await app.caller.entities.create({ type: 'series', fields: { name: 'Walks' } });
  const file = await backupNow(app);
  // After the backup: a rename (newer than the file) and a new series (not in the file).
  await app.caller.entities.update({ type: 'series', id: walks.id, rev: walks.rev, fields: { name: 'Walks renamed' } });
  await app.caller.entities.create({ type: 'series', fields: { name: 'Talks' } });
  await page.goto(app.url);
  await openScreen(page, 'Import and export');

  // Picking the file restores nothing yet: it shows what would happen.
  await page.getByLabel('Restore from a backup file').setInputFiles(file);
  const dialog = page.getByRole('dialog', { name: 'Restore this backup?' });
  const summary = dialog.getByRole('list', { name: 'Restore summary' });
  await expect(summary).toContainText('0 new');
  await expect(summary).toContainText('1 would replace a newer version: kept as they are here');
  await expect(summary).toContainText('1 present here but not in the file: left as they are');
  // The rename was written here after the file was made: newer here whatever the clocks wrote.
  await dialog.getByText('Newer here than in the file (1)').click();
  await expect(dialog.getByRole('list', { name: 'Newer here than in the file' })).toContainText('Walks (here');
  await expect(dialog.getByRole('list', { name: 'Newer here than in the file' })).toContainText(
    'changed here after the file was made, in the file',
  );
  await snap(page, 'safety-3-restore-preview');
  expect(await seriesNames(app)).toEqual(['Talks', 'Walks renamed']);
  await dialog.getByRole('button', { name: 'Restore' }).click();
  await expect(dialog.getByRole('status')).toContainText('1 kept because newer here');
  await dialog.getByRole('button', { name: 'Close' }).click();
  expect(await seriesNames(app)).toEqual(['Talks', 'Walks renamed']);

  // "Exactly the backup" is a choice with a typed word: the rename goes, Talks goes to the trash.
  await page.getByLabel('Restore from a backup file').setInputFiles(file);
  await dialog.getByLabel(/Make it exactly the backup/).check();
  await expect(summary).toContainText('1 present here but not in the file: moved to the trash');
  await expect(dialog.getByRole('button', { name: 'Restore' })).toBeDisabled();
  await dialog.getByLabel('Type REPLACE to confirm').fill('REPLACE');
  await dialog.getByRole('button', { name: 'Restore' }).click();
  await expect(dialog.getByRole('status')).toContainText('1 moved to the trash');
  await dialog.getByRole('button', { name: 'Close' }).click();
  expect(await seriesNames(app)).toEqual(['Talks (trash)', 'Walks']);

  // Settings lists the snapshot taken before each restore; two clicks bring the newest back.
  await openScreen(page, 'Settings');
  const snapshots = page.getByRole('table', { name: 'Safety snapshots' });
  await expect(snapshots.getByRole('row')).toHaveCount(3);
  await expect(snapshots.getByRole('row').nth(1)).toContainText('Before a restore');
  await snap(page, 'safety-3-snapshots');
  await snapshots
    .getByRole('button', { name: /^Restore the snapshot of/ })
    .first()
    .click();
  const undo = page.getByRole('dialog', { name: 'Restore this snapshot?' });
  await undo.getByRole('button', { name: 'Restore snapshot' }).click();
  await expect(undo.getByRole('status')).toContainText('The catalog is back to the snapshot');
  expect(await seriesNames(app)).toEqual(['Talks', 'Walks renamed']);
});

// <SAFETY-4: screens follow the role; a demoted user is told and their unsent changes are listed>
test('SAFETY-4: a demoted editor is told within seconds, gets read-only screens, and chooses what happens to unsent changes', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const team = await startTeam(browser, ['Ada', 'Eddie']);
  const { Ada: ada, Eddie: eddie } = team.members;
  try {
    const rex = await ada.app.caller.entities.create({ type: 'dog', fields: { name: 'Rex', breed: 'Collie' } });
    await openLibrary(eddie.page, 'Dogs');
    await expect(eddie.page.getByRole('grid', { name: 'Dogs' })).toContainText('Rex', { timeout: 20_000 });

    // Eddie works offline; meanwhile Ada makes him a viewer (the Team screen asks first).
    await eddie.proxy.setOnline(false);
    await expect(badge(eddie.page)).toHaveAccessibleName(/^Sync status: Offline/, { timeout: 20_000 });
    await eddie.app.caller.entities.create({ type: 'dog', fields: { name: 'Offline pup' } });
    await eddie.app.caller.entities.update({ type: 'dog', id: rex.id, rev: rex.rev, fields: { breed: 'Beagle' } });
    await changeRole(ada.page, 'eddie', 'viewer');

    // Back online, Eddie is told: the badge names the reason, a banner says why the forms are read-only.
    await eddie.proxy.setOnline(true);
    await expect(badge(eddie.page)).toHaveAccessibleName(/^Sync status: 2 not sent: your role is now viewer/, {
      timeout: 20_000,
    });
    await expect(eddie.page.getByRole('status', { name: 'Your role' })).toContainText(
      'You are signed in as a viewer (an admin changed your role)',
    );
    const notSent = eddie.page.getByRole('region', { name: 'Changes not sent' });
    await expect(notSent).toContainText('2 changes not sent: your role is now viewer');
    await expect(notSent).toContainText('Dog “Offline pup” (new)');
    await expect(notSent).toContainText('Dog “Rex” (changed)');
    await snap(eddie.page, 'safety-4-demoted');

    // Read-only: no new entry, the editor's fields are disabled, admin actions absent with the reason.
    await openLibrary(eddie.page, 'Dogs');
    await expect(eddie.page.getByRole('button', { name: /^New dog/ })).toHaveCount(0);
    await eddie.page.getByRole('row', { name: /Rex/ }).click();
    await expect(eddie.page.getByRole('form', { name: 'dog form' }).getByLabel('Breed')).toBeDisabled();
    await expect(eddie.page.getByRole('complementary')).toContainText(
      'Only an editor or admin can edit entries; you are signed in as a viewer.',
    );
    await openScreenNamed(eddie.page, 'Trash');
    await expect(eddie.page.getByRole('note')).toContainText('Only an admin can delete entries permanently');
    // The core refuses too, whatever the caller.
    await expect(eddie.app.caller.entities.create({ type: 'dog', fields: { name: 'Nope' } })).rejects.toThrow(/viewer/);

    // Export them (a JSON download), then, offline again, discard them after a confirmation that says what
    // happens (CLIENT-16); the discard is audited.
    const download = eddie.page.waitForEvent('download');
    await notSent.getByRole('button', { name: 'Export them (JSON)' }).click();
    expect((await download).suggestedFilename()).toMatch(/^not-sent-.*\.json$/);
    await eddie.proxy.setOnline(false);
    // The badge keeps naming why the changes are not sent; the status says the server is out of reach.
    await expect.poll(async () => (await eddie.app.caller.sync.status()).phase, { timeout: 20_000 }).toBe('offline');
    await notSent.getByRole('button', { name: 'Discard them…' }).click();
    const confirm = eddie.page.getByRole('dialog', { name: 'Discard 2 not-sent changes?' });
    await expect(confirm).toContainText('Each entry goes back to the version the server has');
    await expect(confirm).toContainText('entries the server never had are removed');
    await confirm.getByRole('button', { name: 'Discard 2 changes' }).click();
    await expect(notSent).toHaveCount(0);
    // Offline, the discarded entries stay discarded through the sync's retries.
    for (let check = 0; check < 10; check++) {
      await eddie.page.waitForTimeout(200);
      await expect(notSent).toHaveCount(0);
      await expect(badge(eddie.page)).toHaveAccessibleName(/^Sync status: Offline\./);
    }
    const dogsOf = async (app: typeof eddie.app) =>
      (await app.caller.entities.list({ type: 'dog' })).items.map((dog) => dog as { name: string; breed?: string });
    expect(await dogsOf(eddie.app)).toEqual([expect.objectContaining({ name: 'Rex', breed: 'Collie' })]);
    const audit = await eddie.app.caller.audit.query({ action: 'purge' });
    expect(audit.items.map((entry) => entry.entityTitle)).toContain('Offline pup');

    // The server returns: nothing reappears, and the server's version is in place on both sides.
    await eddie.proxy.setOnline(true);
    await expect(badge(eddie.page)).not.toHaveAccessibleName(/Offline/, { timeout: 20_000 });
    await expect(badge(eddie.page)).not.toHaveAccessibleName(/not sent/);
    await expect(notSent).toHaveCount(0);
    expect(await dogsOf(eddie.app)).toEqual([expect.objectContaining({ name: 'Rex', breed: 'Collie', rev: rex.rev })]);
    expect(await dogsOf(ada.app)).toEqual([expect.objectContaining({ name: 'Rex', breed: 'Collie', rev: rex.rev })]);
  } finally {
    await team.close();
  }
});

// <SAFETY-5: trashing a linked entry warns; trashed chips say so; unrelated saves still work>
test('SAFETY-5: trashing a linked entry asks first, its chips say "in trash" with a restore, and unrelated saves work', async ({
  page,
  app,
}) => {
  const ann = await app.caller.entities.create({ type: 'person', fields: { name: 'Ann Linked' } });
  const alps = await app.caller.entities.create({ type: 'trip', fields: { name: 'Alps Trip' } });
  const walk = await app.caller.entities.create({
    type: 'video',
    fields: { title: 'Walk in the Alps', people: [ann.id], tripId: alps.id },
  });
  await app.caller.entities.create({ type: 'video', fields: { title: 'Second walk', people: [ann.id] } });
  const inTrash = async (type: 'person' | 'trip', id: string) =>
    (await app.caller.entities.get({ type, id })).deletedAt !== null;
  await page.goto(app.url);

  // From the editor: the question names the linking videos; Cancel leaves the person live.
  await openLibrary(page, 'People');
  await page.getByRole('row', { name: /Ann Linked/ }).click();
  await page.getByRole('button', { name: 'Move to trash' }).click();
  const ask = page.getByRole('dialog', { name: 'Other entries link to “Ann Linked”. Move it to the trash?' });
  await expect(ask).toContainText('Appears in 2 videos');
  await expect(ask.getByRole('listitem')).toHaveCount(2);
  await expect(ask).toContainText('Video: Walk in the Alps');
  await expect(ask).toContainText('Video: Second walk');
  await snap(page, 'safety-5-trash-question');
  await ask.getByRole('button', { name: 'Cancel' }).click();
  await expect(ask).toBeHidden();
  expect(await inTrash('person', ann.id)).toBe(false);
  await page.getByRole('button', { name: 'Move to trash' }).click();
  await ask.getByRole('button', { name: 'Move to trash' }).click();
  await expect(ask).toBeHidden();
  await expect.poll(() => inTrash('person', ann.id)).toBe(true);

  // In bulk from the list: one question for the selection.
  await openLibrary(page, 'Trips');
  await page.getByRole('checkbox', { name: 'Select Alps Trip' }).check();
  await page.getByRole('button', { name: 'Move selected to trash' }).click();
  const askTrip = page.getByRole('dialog', { name: /Other entries link to “Alps Trip”/ });
  await expect(askTrip).toContainText('Video: Walk in the Alps');
  await askTrip.getByRole('button', { name: 'Move to trash' }).click();
  await expect(page.getByRole('grid', { name: 'Trips' })).not.toContainText('Alps Trip');
  expect(await inTrash('trip', alps.id)).toBe(true);

  // The linking video keeps both links, marked, and saves an unrelated change.
  await openLibrary(page, 'Videos');
  await page.getByRole('row', { name: /Walk in the Alps/ }).click();
  const form = page.getByRole('form', { name: 'video form' });
  await expect(form.getByText('in trash', { exact: true })).toHaveCount(2);
  await expect(form.getByRole('button', { name: 'Restore Ann Linked from the trash' })).toBeVisible();
  await expect(form.getByRole('button', { name: 'Restore Alps Trip from the trash' })).toBeVisible();
  await snap(page, 'safety-5-trashed-chips');
  await form.getByLabel('Duration').fill('03:10');
  await form.getByRole('button', { name: /^Save/ }).click();
  await expect(form.getByRole('status')).toHaveText('Saved.');
  expect(await app.caller.entities.get({ type: 'video', id: walk.id })).toMatchObject({
    duration: '03:10',
    people: [ann.id],
    tripId: alps.id,
  });

  // Restore right from the chip.
  await form.getByRole('button', { name: 'Restore Ann Linked from the trash' }).click();
  // Asked first, like every restore: the trip Ann is not linked to stays in the trash.
  await page
    .getByRole('dialog', { name: 'Restore “Ann Linked” from the trash?' })
    .getByRole('button', { name: 'Restore', exact: true })
    .click();
  await expect(form.getByText('in trash', { exact: true })).toHaveCount(1);
  await expect(form.getByRole('button', { name: 'Remove Ann Linked from People' })).toBeVisible();
  expect(await inTrash('person', ann.id)).toBe(false);
});

// <SAFETY-6: team changes ask first and say what the user will lose>
test('SAFETY-6: a role change and a disable ask first, saying what the user will lose; nothing applies on click', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const team = await startTeam(browser, ['Ada', 'Eddie']);
  const { Ada: ada } = team.members;
  try {
    await openScreenNamed(ada.page, 'Team');
    const users = ada.page.getByRole('table', { name: 'Users' });
    await expect(users).toContainText('eddie');
    const role = ada.page.getByLabel('Role of eddie');

    // Changing the role opens a question; cancelling leaves everything as it was, here and on the server.
    await role.selectOption('viewer');
    const dialog = ada.page.getByRole('dialog', { name: 'Make eddie a viewer?' });
    await expect(dialog).toContainText(
      'Eddie Editor will become a viewer: can no longer create entries, edit entries, move entries to the trash',
    );
    await expect(dialog).toContainText('1 device signed in learns it within seconds');
    await snap(ada.page, 'safety-6-role-question');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(role).toHaveValue('editor');
    const onServer = async () =>
      (
        (await ada.app.caller.team.users()) as { users: { username: string; role: string; disabled: boolean }[] }
      ).users.find((user) => user.username === 'eddie');
    expect(await onServer()).toMatchObject({ role: 'editor', disabled: false });

    // Revoking a session asks as well, naming the device; cancelled, the session stays on the server.
    const eddieSessions = async () =>
      ((await ada.app.caller.team.sessions()) as { sessions: { username: string | null }[] }).sessions.filter(
        (session) => session.username === 'eddie',
      ).length;
    expect(await eddieSessions()).toBe(1);
    const sessions = ada.page.getByRole('table', { name: 'Sessions' });
    await sessions.getByRole('button', { name: /^Revoke session of eddie/ }).click();
    const revoke = ada.page.getByRole('dialog', { name: /^Sign eddie out on / });
    await expect(revoke).toContainText('must sign in again there to sync');
    await revoke.getByRole('button', { name: 'Cancel' }).click();
    await expect(revoke).toBeHidden();
    expect(await eddieSessions()).toBe(1);

    // Disable asks too, naming the devices that will be signed out; confirmed, it applies.
    await users.getByRole('button', { name: 'Disable eddie' }).click();
    const disable = ada.page.getByRole('dialog', { name: 'Disable eddie?' });
    await expect(disable).toContainText(
      'Eddie Editor will be disabled: can no longer sign in or sync; signed out on 1 device.',
    );
    expect(await onServer()).toMatchObject({ disabled: false });
    await disable.getByRole('button', { name: 'Disable eddie' }).click();
    await expect(users.getByRole('row', { name: /eddie/ })).toContainText('disabled');
    expect(await onServer()).toMatchObject({ disabled: true });
  } finally {
    await team.close();
  }
});

// <SAFETY-7: browser mode reconnects after a restart of the host>
test('SAFETY-7: a tab left open across a restart of npm start reconnects by itself, and asks for a new address', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const dataDir = await mkdtemp(join(tmpdir(), 'curio-restart-'));
  let curio = await npmStart(dataDir, { port: 0 });
  const { port, url: firstUrl } = curio;
  const addSeries = async (name: string) => {
    await openLibrary(page, 'Series');
    await page.getByRole('button', { name: /^New series/ }).click();
    const form = page.getByRole('form', { name: 'series form' });
    await form.getByLabel('Name', { exact: true }).fill(name);
    await form.getByRole('button', { name: /^Save/ }).click();
    await expect(form.getByRole('status')).toHaveText('Saved.');
    await page.keyboard.press('Escape');
  };
  const seriesTable = page.getByRole('grid', { name: 'Series' });
  const lost = page.getByRole('alert').filter({ hasText: 'Lost the connection to the local Curio host' });
  const askNew = page.getByRole('alert').filter({ hasText: 'Curio runs again, but with a new address' });
  try {
    await page.goto(curio.url);
    await addSeries('Before the restart');

    // Same profile, same port: the same secret, and the page comes back with no action.
    await curio.stop();
    await expect(lost).toBeVisible();
    curio = await npmStart(dataDir, { port });
    await expect(lost).toBeHidden();
    expect(curio.url).toBe(firstUrl);
    await addSeries('After the restart');
    await expect(seriesTable).toContainText('Before the restart');
    await expect(seriesTable).toContainText('After the restart');

    // A new secret: the notice asks for the new address, and the one field opens it.
    await curio.stop();
    curio = await npmStart(dataDir, { port, newAddress: true });
    expect(curio.url).not.toBe(firstUrl);
    await expect(askNew).toBeVisible();
    await snap(page, 'safety-7-new-address');
    await askNew.getByRole('textbox', { name: 'New address' }).fill(curio.url);
    await askNew.getByRole('button', { name: 'Open' }).click();
    await expect(askNew).toBeHidden();
    await addSeries('After the new address');

    // Pasted into the address bar instead, the new address differs only in its fragment: the page reloads too.
    await curio.stop();
    curio = await npmStart(dataDir, { port, newAddress: true });
    await expect(askNew).toBeVisible();
    await page.goto(curio.url);
    await expect(askNew).toBeHidden();
    await openLibrary(page, 'Series');
    await expect(seriesTable).toContainText('After the new address');
  } finally {
    await curio.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('SAFETY-7: a page opened without its secret says so and takes the printed address', async ({ page, app }) => {
  await app.caller.entities.create({ type: 'series', fields: { name: 'Behind the secret' } });
  const bare = app.url.split('#')[0]!;
  await page.goto(bare);
  const ask = page.getByRole('alert').filter({ hasText: 'This page needs the whole address' });
  await expect(ask).toBeVisible();
  await ask.getByRole('textbox', { name: 'New address' }).fill(bare);
  await ask.getByRole('button', { name: 'Open' }).click();
  await expect(ask).toContainText('That address carries no token.');
  await ask.getByRole('textbox', { name: 'New address' }).fill(app.url);
  await ask.getByRole('button', { name: 'Open' }).click();
  await expect(ask).toBeHidden();
  await openLibrary(page, 'Series');
  await expect(page.getByRole('grid', { name: 'Series' })).toContainText('Behind the secret');
});

// <SAFETY-8: the sync badge tells the truth>
test('SAFETY-8: the badge leaves "Offline" at the first answer, says a silent connection is lost, and counts changed entries', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  // The stream waits a minute between reconnects and tolerates a minute of silence unless told the heartbeat:
  // only the behaviour under test can reach each state within the waits below.
  const team = await startTeam(browser, ['Ada'], {
    backoff: { initialMs: 60_000, maxMs: 60_000 },
    idleTimeoutMs: 60_000,
    heartbeatGraceMs: 1000,
  });
  const { Ada: ada } = team.members;
  try {
    await ada.proxy.setOnline(false);
    await expect(badge(ada.page)).toHaveAccessibleName(/^Sync status: Offline\./, { timeout: 20_000 });
    // Three writes to two entries (plus their audit entries): two entries wait.
    const rex = await ada.app.caller.entities.create({ type: 'dog', fields: { name: 'Rex' } });
    await ada.app.caller.trash.trash({ items: [{ type: 'dog', id: rex.id }] });
    await ada.app.caller.entities.create({ type: 'series', fields: { name: 'Walks' } });
    await expect(badge(ada.page)).toHaveAccessibleName(/^Sync status: Offline · 2 waiting\./);

    // The server is back: the pushes' answers end "Offline", whatever the stream's backoff.
    await ada.proxy.setOnline(true);
    await expect(badge(ada.page)).toHaveAccessibleName(/^Sync status: In sync\./, { timeout: 15_000 });

    // A silent partition: the connection stays open but nothing passes; the badge says so.
    ada.proxy.setSilent(true);
    await expect(badge(ada.page)).toHaveAccessibleName(/^Sync status: Offline/, { timeout: 15_000 });
    await snap(ada.page, 'safety-8-silent');
    // Over again: the next change's push gets an answer, and the badge follows at once.
    ada.proxy.setSilent(false);
    await ada.app.caller.entities.create({ type: 'series', fields: { name: 'After the silence' } });
    await expect(badge(ada.page)).toHaveAccessibleName(/^Sync status: In sync\./, { timeout: 15_000 });
  } finally {
    await team.close();
  }
});
