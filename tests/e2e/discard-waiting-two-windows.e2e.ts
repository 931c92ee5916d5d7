import { expect, openLibrary, test } from './fixtures';
import { liveDocumentValve } from './safety-helpers-editor';
import { EDDIE, newPersonContext, startAdaAndEddieBehindProxies } from './sync-fixtures';

type Dog = { id: string; rev: string; name: string; breed?: string; color?: string };

/**
 * Two windows of Eddie's profile (two pages, one core) while his changes cannot be sent (an admin ended
 * his session). Window A's "Discard them…" question lists each waiting change and follows the list live;
 * a change made in window B meanwhile is shown there, and a discard A sends before its list showed the
 * change is refused with nothing dropped (CLIENT-10). "Keep them waiting" folds the notice while the same
 * changes wait, across a reload, and a new change opens it again. Before, the question said only
 * "Discard 1 not-sent change?" and its click dropped whatever waited by then, seen or not.
 */
test('the discard question lists the waiting changes live, and never drops a change made after it showed the list', async ({
  browser,
}) => {
  test.setTimeout(150_000);
  const team = await startAdaAndEddieBehindProxies(browser);
  const { a, b, pageB: windowB } = team;
  try {
    const dogsOf = async () => (await b.app.caller.entities.list({ type: 'dog' })).items as Dog[];
    const rex = await a.app.caller.entities.create({ type: 'dog', fields: { name: 'Rex', breed: 'Collie' } });
    await expect.poll(async () => (await dogsOf()).length, { timeout: 20_000 }).toBe(1);

    // Ada ends Eddie's sessions: his core keeps working, and his changes wait with the reason.
    const { sessions } = await a.app.caller.team.sessions();
    for (const session of sessions.filter((s) => s.username === EDDIE.username)) {
      await a.app.caller.team.revokeSession({ id: session.id });
    }
    await b.app.caller.entities.update({ type: 'dog', id: rex.id, rev: rex.rev, fields: { breed: 'Beagle' } });
    await expect.poll(async () => (await b.app.caller.sync.status()).phase, { timeout: 20_000 }).toBe('paused');

    // Window A, whose "not sent" list can be held back.
    const contextA = await newPersonContext(browser);
    const valve = await liveDocumentValve(contextA, 'sync.onWaiting');
    const windowA = await contextA.newPage();
    await windowA.goto(b.app.url);
    const notSent = windowA.getByRole('region', { name: 'Changes not sent' });
    await expect(notSent).toContainText('1 change not sent:', { timeout: 20_000 });
    await expect(notSent).toContainText('Dog “Rex” (changed)');

    // Kept waiting: folded, across a reload; a change made in window B opens it again.
    await notSent.getByRole('button', { name: 'Keep them waiting' }).click();
    await expect(notSent).toContainText('Kept waiting on this device.');
    await expect(notSent.getByRole('button', { name: 'Discard them…' })).toHaveCount(0);
    await windowA.reload();
    await expect(notSent).toContainText('Kept waiting on this device.');
    await b.app.caller.entities.create({ type: 'dog', fields: { name: 'Pup' } });
    await expect(notSent).toContainText('Dog “Pup” (new)');
    await expect(notSent).not.toContainText('Kept waiting');

    // The question lists what it drops.
    await notSent.getByRole('button', { name: 'Discard them…' }).click();
    const question = windowA.getByRole('dialog', { name: 'Discard 2 not-sent changes?' });
    const drops = question.getByRole('table', { name: 'What discarding drops' });
    await expect(drops.getByRole('row', { name: /Rex/ })).toHaveText(
      /Dog “Rex”\s*Edited: Breed\s*Goes back to the server’s version/,
    );
    await expect(drops.getByRole('row', { name: /Pup/ })).toHaveText(
      /Dog “Pup”\s*Created here\s*Removed: the server never had it/,
    );

    // Window B edits Rex before window A's list has shown it: A's discard is refused, nothing dropped.
    valve.freeze();
    await openLibrary(windowB, 'Dogs');
    await windowB.getByRole('row', { name: /Rex/ }).click();
    const form = windowB.getByRole('form', { name: 'dog form' });
    await form.getByLabel('Color').fill('Black');
    await form.getByRole('button', { name: /^Save/ }).click();
    await expect
      .poll(async () => (await dogsOf()).find((dog) => dog.name === 'Rex'), { timeout: 20_000 })
      .toMatchObject({ color: 'Black' });
    await expect(drops.getByRole('row', { name: /Rex/ })).toContainText('Edited: Breed');
    await question.getByRole('button', { name: 'Discard 2 changes' }).click();
    await expect(question).toContainText('Dog “Rex” changed again after the list was shown, so nothing was discarded.');
    expect((await dogsOf()).map((dog) => dog.name).sort()).toEqual(['Pup', 'Rex']);
    expect((await dogsOf()).find((dog) => dog.name === 'Rex')).toMatchObject({ breed: 'Beagle', color: 'Black' });
    expect((await b.app.caller.sync.status()).pending).toBe(2);

    // The list arrives: the question shows Rex as it waits now, and says it changed while open.
    valve.thaw();
    await expect(drops.getByRole('row', { name: /Rex/ })).toContainText(
      'Edited: Breed, Color (while this question was open)',
    );
    await expect(question.getByText(/^While this question was open, Dog “Rex” was changed again/)).toBeVisible();

    // Seen, it can be discarded: Rex goes back to the server's version, Pup is removed.
    await question.getByRole('button', { name: 'Discard 2 changes' }).click();
    await expect(question).toBeHidden();
    await expect(notSent).toHaveCount(0);
    expect(await dogsOf()).toEqual([expect.objectContaining({ name: 'Rex', breed: 'Collie', rev: rex.rev })]);
    await contextA.close();
  } finally {
    await team.close();
  }
});
