import { expect, test } from './fixtures';
import { everythingSent, startAdaAndEddieBehindProxies } from './sync-fixtures';

/**
 * The conflict detail shows the entry as it is now and follows it live: a teammate's edit made after
 * the conflict was recorded is seen before the admin chooses, and a choice made knowingly is saved.
 * Before, "Current" showed the value recorded with the conflict, and choosing a side after a later
 * edit was refused with words about saving an editor again.
 */
test('the conflict detail follows the entry live; a side chosen after a later edit is saved', async ({ browser }) => {
  test.setTimeout(150_000);
  const { proxyA, proxyB, a, b, pageA, pageB, close } = await startAdaAndEddieBehindProxies(browser);
  const bio = async (app: typeof a.app, id: string) =>
    ((await app.caller.entities.get({ type: 'person', id })) as { bio?: string | null }).bio ?? null;
  try {
    const { id } = await a.app.caller.entities.create({ type: 'person', fields: { name: 'Alice', bio: 'Host' } });
    await expect.poll(() => bio(b.app, id).catch(() => null), { timeout: 20_000 }).toBe('Host');

    // Both edit the bio offline; Ada's reaches the server first, so Eddie's device records the conflict.
    await proxyA.setOnline(false);
    await proxyB.setOnline(false);
    await a.app.caller.entities.update({ type: 'person', id, fields: { bio: 'Ada bio' }, bases: { bio: 'Host' } });
    await b.app.caller.entities.update({ type: 'person', id, fields: { bio: 'Eddie bio' }, bases: { bio: 'Host' } });
    await proxyA.setOnline(true);
    await everythingSent(a);
    await expect(pageA.getByRole('button', { name: /^Sync status: In sync\./ })).toBeVisible({ timeout: 20_000 });
    await proxyB.setOnline(true);
    const nav = pageA.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /^Conflicts/ });
    await expect(nav).toContainText('1', { timeout: 30_000 });

    // Ada opens it: Bio is as the server kept it.
    await nav.click();
    await pageA.getByRole('table', { name: 'Conflicts' }).getByRole('button', { name: /Alice/ }).click();
    const bioRow = pageA.getByRole('table', { name: 'Field comparison' }).getByRole('row', { name: /Bio/ });
    await expect(bioRow).toContainText('Ada bio');
    await expect(bioRow).not.toContainText('changed after this conflict was recorded');

    // Eddie writes the bio again while the detail is open: it shows what the bio is now, and says so.
    await expect(pageB.getByRole('button', { name: /^Sync status: In sync\./ })).toBeVisible({ timeout: 20_000 });
    await b.app.caller.entities.update({
      type: 'person',
      id,
      fields: { bio: 'Eddie later' },
      bases: { bio: 'Ada bio' },
    });
    await expect(bioRow).toContainText('Eddie later', { timeout: 30_000 });
    await expect(bioRow).toContainText('changed after this conflict was recorded');

    // Having seen it, Ada keeps the server's value: saved, the record closes, both devices agree.
    await pageA.getByRole('radiogroup', { name: 'Keep for Bio' }).getByLabel('Server').check();
    await pageA.getByRole('button', { name: 'Resolve' }).click();
    await expect(pageA.getByRole('status').filter({ hasText: 'This conflict is resolved' })).toBeVisible();
    await expect(pageA.getByRole('alert')).toHaveCount(0);
    for (const app of [a.app, b.app]) await expect.poll(() => bio(app, id), { timeout: 20_000 }).toBe('Ada bio');
  } finally {
    await close();
  }
});
