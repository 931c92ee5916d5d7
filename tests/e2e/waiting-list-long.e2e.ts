import { expect, test } from './fixtures';
import { EDDIE, startAdaAndEddieBehindProxies } from './sync-fixtures';

const WAITING = 3000;

/**
 * Thousands of changes waiting (made offline, or by someone whose session an admin ended): the "not sent"
 * list and the discard question hold only the rows their scroll boxes show, each row saying its place in
 * the whole list, and every one of them can be scrolled to. Before, both built one element per waiting
 * change, again at every change of the list: with 100,000 waiting, the screen froze.
 */
test('the not-sent list and the discard question show thousands of waiting changes a screenful at a time', async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const team = await startAdaAndEddieBehindProxies(browser);
  const { a, b, pageB: page } = team;
  try {
    const { sessions } = await a.app.caller.team.sessions();
    for (const session of sessions.filter((s) => s.username === EDDIE.username)) {
      await a.app.caller.team.revokeSession({ id: session.id });
    }
    // Made with the screen closed, so the test waits on the saves, not on the list following each one.
    await page.goto('about:blank');
    for (let made = 0; made < WAITING; made += 100) {
      await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          b.app.caller.entities.create({
            type: 'dog',
            fields: { name: `Waiting ${String(made + i + 1).padStart(4, '0')}` },
          }),
        ),
      );
    }
    await expect.poll(async () => (await b.app.caller.sync.status()).phase, { timeout: 30_000 }).toBe('paused');
    const waiting = await b.app.caller.sync.waiting();
    expect(waiting).toHaveLength(WAITING);
    const lastTitle = waiting[WAITING - 1]!.title;

    await page.goto(b.app.url);
    const notSent = page.getByRole('region', { name: 'Changes not sent' });
    await expect(notSent).toContainText('3,000 changes not sent:', { timeout: 30_000 });
    const list = notSent.getByLabel('Waiting changes');
    const items = list.getByRole('listitem');
    await expect(items.first()).toHaveAttribute('aria-setsize', String(WAITING));
    await expect(items.first()).toHaveAttribute('aria-posinset', '1');
    expect(await items.count()).toBeLessThan(100);
    // As a person would: the scroll box takes the focus, End goes to the bottom.
    await list.focus();
    await page.keyboard.press('End');
    await expect(list.getByRole('listitem').filter({ hasText: `Dog “${lastTitle}” (new)` })).toBeVisible();
    await expect(items.last()).toHaveAttribute('aria-posinset', String(WAITING));

    await notSent.getByRole('button', { name: 'Discard them…' }).click();
    const question = page.getByRole('dialog', { name: 'Discard 3,000 not-sent changes?' });
    const drops = question.getByRole('table', { name: 'What discarding drops' });
    await expect(drops).toHaveAttribute('aria-rowcount', String(WAITING + 1));
    await expect(drops.getByRole('row').nth(1)).toHaveText(/Created here\s*Removed: the server never had it/);
    expect(await drops.getByRole('row').count()).toBeLessThan(100);
    await drops.locator('xpath=..').focus();
    await page.keyboard.press('End');
    await expect(drops.getByRole('row', { name: new RegExp(lastTitle) })).toBeVisible();
    await expect(drops.getByRole('row').last()).toHaveAttribute('aria-rowindex', String(WAITING + 1));

    await question.getByRole('button', { name: 'Discard 3,000 changes' }).click();
    await expect(question).toBeHidden({ timeout: 60_000 });
    await expect.poll(async () => (await b.app.caller.sync.status()).pending, { timeout: 30_000 }).toBe(0);
    expect((await b.app.caller.entities.list({ type: 'dog' })).items).toEqual([]);
  } finally {
    await team.close();
  }
});
