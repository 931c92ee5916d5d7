import { expect, test } from './fixtures';
import { startAdaAndEddieBehindProxies } from './sync-fixtures';

const KEPT = 'The edit was kept, so the dog is still here: delete it permanently after all to confirm';

/**
 * An edit versus a permanent delete, made for real by two people through a team server: the conflict
 * detail says who deleted the entry and who edited it, whichever side the delete came from. Before, it
 * always said "edited here while it was deleted permanently elsewhere", wrong when Ada had deleted the
 * dog on her own device and Eddie's edit came from his.
 */
test('the delete-conflict notice names who deleted and who edited, on either side', async ({ browser }) => {
  test.setTimeout(150_000);
  const { proxyA, proxyB, a, b, pageA, close } = await startAdaAndEddieBehindProxies(browser);
  const bothHave = async (id: string) => {
    for (const app of [a.app, b.app]) {
      await expect.poll(() => app.caller.entities.get({ type: 'dog', id }).then(Boolean, () => false)).toBe(true);
    }
  };
  const inSync = async (page: typeof pageA) =>
    expect(page.getByRole('button', { name: /^Sync status: In sync\./ })).toBeVisible({ timeout: 20_000 });
  // Nothing of `app` waits to be sent: its changes are on the server.
  const sent = (app: typeof a.app) =>
    expect.poll(async () => (await app.caller.sync.waiting()).length, { timeout: 20_000 }).toBe(0);
  try {
    const rex = await a.app.caller.entities.create({ type: 'dog', fields: { name: 'Rex', breed: 'Collie' } });
    const max = await a.app.caller.entities.create({ type: 'dog', fields: { name: 'Max', breed: 'Pug' } });
    await bothHave(rex.id);
    await bothHave(max.id);

    // Rex: Ada deletes him on her device while offline; Eddie's edit reaches the server first.
    await proxyA.setOnline(false);
    await a.app.caller.trash.deletePermanently({ items: [{ type: 'dog', id: rex.id }], confirm: true });
    await b.app.caller.entities.update({ type: 'dog', id: rex.id, fields: { color: 'Brown' }, bases: { color: null } });
    await sent(b.app);
    await expect.poll(async () => (await a.app.caller.sync.status()).phase).toBe('offline');
    await proxyA.setOnline(true);
    await inSync(pageA);

    // Max: Eddie edits him offline; Ada's delete reaches the server first.
    await proxyB.setOnline(false);
    await b.app.caller.entities.update({ type: 'dog', id: max.id, fields: { color: 'Black' }, bases: { color: null } });
    await a.app.caller.trash.deletePermanently({ items: [{ type: 'dog', id: max.id }], confirm: true });
    await sent(a.app);
    await proxyB.setOnline(true);

    const nav = pageA.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /^Conflicts/ });
    await expect(nav).toContainText('2', { timeout: 30_000 });
    await nav.click();
    const list = pageA.getByRole('table', { name: 'Conflicts' });
    const detail = pageA.getByRole('region', { name: /^Dog: / });

    await list.getByRole('button', { name: /Rex/ }).click();
    await expect(detail.locator('.notice')).toHaveText(
      'Ada Admin deleted this dog permanently, but Eddie Editor had edited it on another device and that edit ' +
        `reached the server first. ${KEPT} Ada Admin's delete, or resolve to keep the edit.`,
    );
    await expect(detail).not.toContainText('edited here while it was deleted permanently elsewhere');
    await detail.getByRole('button', { name: 'Close' }).click();

    await list.getByRole('button', { name: /Max/ }).click();
    await expect(detail.locator('.notice')).toHaveText(
      'Eddie Editor edited this dog while Ada Admin deleted it permanently on another device, and the delete ' +
        `reached the server first. ${KEPT} Ada Admin's delete, or resolve to keep the edit.`,
    );
  } finally {
    await close();
  }
});
