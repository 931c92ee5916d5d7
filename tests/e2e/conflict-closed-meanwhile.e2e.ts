import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { everythingSent, startAdaAndAnotherBehindProxies, syncBadge, teamPerson } from './sync-fixtures';

/** A second admin, so that both people can resolve conflicts. */
const BEN = teamPerson('Ben', 'admin');

const inSync = (page: Page) =>
  expect(syncBadge(page)).toHaveAccessibleName(/^Sync status: In sync/, { timeout: 20_000 });

async function openConflict(page: Page, title: string) {
  const nav = page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /^Conflicts/ });
  await expect(nav).toContainText('2', { timeout: 30_000 });
  await nav.click();
  await page
    .getByRole('table', { name: 'Conflicts' })
    .getByRole('button', { name: new RegExp(title) })
    .click();
  await expect(page.getByRole('heading', { name: `Person: ${title}` })).toBeVisible();
}

/**
 * Two admins have the same conflict open; one resolves it. The other's detail follows the record live:
 * it says who resolved it and what was kept, offers no choice any more, and leads on to the next
 * open conflict. Before, it kept offering the choice until Resolve answered "already resolved".
 */
test('an open conflict detail says when another admin resolved it, and what was kept', async ({ browser }) => {
  test.setTimeout(180_000);
  const { proxyA, proxyB, a, b, pageA, pageB, close } = await startAdaAndAnotherBehindProxies(browser, BEN);
  const bio = async (app: typeof a.app, id: string) =>
    ((await app.caller.entities.get({ type: 'person', id })) as { bio?: string | null }).bio ?? null;
  try {
    const ids: Record<string, string> = {};
    for (const name of ['Alice', 'Bob']) {
      ids[name] = (await a.app.caller.entities.create({ type: 'person', fields: { name, bio: 'Host' } })).id;
      await expect.poll(() => bio(b.app, ids[name]!).catch(() => null), { timeout: 20_000 }).toBe('Host');
    }

    // Both edit both bios offline; Ada's reach the server first, so Ben's device records two conflicts.
    await proxyA.setOnline(false);
    await proxyB.setOnline(false);
    for (const [name, id] of Object.entries(ids)) {
      const update = (app: typeof a.app, value: string) =>
        app.caller.entities.update({ type: 'person', id, fields: { bio: value }, bases: { bio: 'Host' } });
      await update(a.app, `Ada on ${name}`);
      await update(b.app, `Ben on ${name}`);
    }
    // Ada's edits reach the server first (her core says so, not only her badge).
    await proxyA.setOnline(true);
    await everythingSent(a);
    await inSync(pageA);
    await proxyB.setOnline(true);
    await inSync(pageB);

    // Both open Alice's conflict; Ben starts choosing the server's bio.
    await openConflict(pageA, 'Alice');
    await openConflict(pageB, 'Alice');
    await pageB.getByRole('radiogroup', { name: 'Keep for Bio' }).getByLabel('Server').check();

    // Ada keeps Ben's edit and resolves.
    await pageA.getByRole('radiogroup', { name: 'Keep for Bio' }).getByLabel('Local edit').check();
    await pageA.getByRole('button', { name: 'Resolve' }).click();
    await expect(pageA.getByRole('status').filter({ hasText: 'This conflict is resolved' })).toBeVisible();

    // Ben's detail changes by itself: who resolved it, what was kept, no choice left, the way on.
    const notice = pageB.getByRole('alert').filter({ hasText: 'Ada Admin resolved this conflict' });
    await expect(notice).toBeVisible({ timeout: 30_000 });
    await expect(notice).toContainText('while it was open here');
    await expect(pageB.getByRole('status').filter({ hasText: 'This conflict is resolved' })).toContainText(
      'Ada Admin resolved it on',
    );
    const bioRow = pageB.getByRole('table', { name: 'Field comparison' }).getByRole('row', { name: /Bio/ });
    await expect(bioRow).toContainText('Ben on Alice (the local edit, Ben Admin)');
    await expect(pageB.getByRole('radiogroup', { name: 'Keep for Bio' })).toHaveCount(0);
    await expect(pageB.getByRole('button', { name: 'Resolve' })).toHaveCount(0);
    await expect(notice.getByRole('button', { name: 'Back to the list' })).toBeVisible();

    // The next open conflict is Bob's, ready to choose.
    await notice.getByRole('button', { name: 'Next open conflict' }).click();
    await expect(pageB.getByRole('heading', { name: 'Person: Bob' })).toBeVisible();
    await expect(pageB.getByRole('radiogroup', { name: 'Keep for Bio' }).getByLabel('Server')).toBeEnabled();
    await expect(pageB.getByRole('alert')).toHaveCount(0);
    for (const app of [a.app, b.app])
      await expect.poll(() => bio(app, ids.Alice!), { timeout: 20_000 }).toBe('Ben on Alice');
  } finally {
    await close();
  }
});
