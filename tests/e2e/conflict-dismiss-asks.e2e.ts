import { expect, test } from './fixtures';
import { everythingSent, startAdaAndEddieBehindProxies } from './sync-fixtures';

/**
 * A conflict's "Dismiss" asks first: the entry stays as it is now (the contested field shown with that
 * value, and the other side's value that is not applied), and the record moves to Dismissed. Cancel leaves
 * the conflict open; a teammate's edit made while the question is open is shown in it, with who made it;
 * confirming dismisses and leaves the entry as shown. Before, one click closed the conflict without a word.
 */
test('Dismiss says what it leaves, follows the entry, and dismisses only when confirmed', async ({ browser }) => {
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
    await nav.click();
    await pageA.getByRole('table', { name: 'Conflicts' }).getByRole('button', { name: /Alice/ }).click();
    const detail = pageA.getByRole('region', { name: /^Person: / });
    const dismiss = detail.getByRole('button', { name: /^Dismiss/ });
    const status = async () => (await a.app.caller.conflicts.list({ status: 'all' })).items.map((r) => r.status);

    // The click asks: Alice stays as she is now, Eddie's bio is not applied. Cancel leaves the conflict open.
    await dismiss.click();
    const question = pageA.getByRole('dialog', { name: 'Dismiss the conflict about this person?' });
    await expect(question).toContainText(
      '“Alice” stays as it is now, and the local edit (Eddie Editor) is not applied.',
    );
    await expect(question).toContainText('The conflict moves to Dismissed, where it can still be read.');
    const bioRow = question.getByRole('table', { name: 'What dismissing leaves' }).getByRole('row', { name: /^Bio/ });
    await expect(bioRow).toHaveText(/Bio\s*Ada bio\s*Eddie bio \(local edit, Eddie Editor\)/);
    await question.getByRole('button', { name: 'Cancel' }).click();
    await expect(question).toBeHidden();
    await expect(dismiss).toBeFocused();
    expect(await status()).toEqual(['open']);

    // Eddie writes the bio again while Ada's question is open: it shows the bio as it is now, and who changed it.
    await dismiss.click();
    await expect(pageB.getByRole('button', { name: /^Sync status: In sync\./ })).toBeVisible({ timeout: 20_000 });
    await b.app.caller.entities.update({
      type: 'person',
      id,
      fields: { bio: 'Eddie later' },
      bases: { bio: 'Ada bio' },
    });
    await expect(question.getByRole('alert')).toContainText(
      'Eddie Editor changed this person while this question was open',
      { timeout: 30_000 },
    );
    await expect(bioRow).toHaveText(/Bio\s*Eddie later\s*Eddie bio \(local edit, Eddie Editor\)/);
    expect(await status()).toEqual(['open']);

    // Confirmed: the record is dismissed, and the person stays as shown.
    await question.getByRole('button', { name: 'Dismiss', exact: true }).click();
    await expect(question).toBeHidden();
    await expect(pageA.getByRole('status').filter({ hasText: 'This conflict is dismissed' })).toBeVisible();
    expect(await status()).toEqual(['dismissed']);
    expect(await bio(a.app, id)).toBe('Eddie later');
  } finally {
    await close();
  }
});
