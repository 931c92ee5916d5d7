import { expect, test } from './fixtures';
import { changeRole } from './safety-helpers-roles';
import { startAdaAndEddieBehindProxies, syncBadge } from './sync-fixtures';

type Dog = { id: string; rev: string; name: string; breed?: string; color?: string };

/**
 * Eddie edits Rex offline; meanwhile Ada makes him a viewer and edits Rex too. Back online, Eddie pulls as a
 * viewer: his change must stay on his device, waiting and listed (RxDB's pull-only replication stored Ada's
 * version over it without a word). Ada's version of Rex arrives once Eddie's change no longer waits: after a
 * discard, or after a promotion, where his change is pushed and merged (the contested field kept for an admin).
 */
async function eddieDemotedWhileAdaEditsRex(browser: Parameters<typeof startAdaAndEddieBehindProxies>[0]) {
  const team = await startAdaAndEddieBehindProxies(browser);
  const { a, b, pageA, pageB, proxyB } = team;
  const dogsOf = async (app: typeof a) => (await app.app.caller.entities.list({ type: 'dog' })).items as Dog[];
  const rex = await a.app.caller.entities.create({ type: 'dog', fields: { name: 'Rex', breed: 'Collie' } });
  await expect.poll(async () => (await dogsOf(b)).length, { timeout: 20_000 }).toBe(1);

  await proxyB.setOnline(false);
  await expect(syncBadge(pageB)).toHaveAccessibleName(/^Sync status: Offline/, { timeout: 20_000 });
  await b.app.caller.entities.update({ type: 'dog', id: rex.id, rev: rex.rev, fields: { breed: 'Beagle' } });
  await changeRole(pageA, 'eddie', 'viewer');
  await a.app.caller.entities.update({
    type: 'dog',
    id: rex.id,
    rev: rex.rev,
    fields: { breed: 'Boxer', color: 'Black' },
  });
  // Written after Ada's edit of Rex: once Eddie has Max, he has pulled past Rex.
  await a.app.caller.entities.create({ type: 'dog', fields: { name: 'Max' } });

  await proxyB.setOnline(true);
  await expect(syncBadge(pageB)).toHaveAccessibleName(/^Sync status: 1 not sent: your role is now viewer/, {
    timeout: 20_000,
  });
  await expect
    .poll(async () => (await dogsOf(b)).map((dog) => dog.name).sort(), { timeout: 20_000 })
    .toEqual(['Max', 'Rex']);
  expect((await dogsOf(b)).find((dog) => dog.name === 'Rex')).toMatchObject({ breed: 'Beagle' });
  const notSent = pageB.getByRole('region', { name: 'Changes not sent' });
  await expect(notSent).toContainText('Dog “Rex” (changed)');
  return { ...team, rex, dogsOf, notSent };
}

test('a viewer’s waiting change survives a teammate’s edit of the same entry; discarded, the teammate’s version comes', async ({
  browser,
}) => {
  test.setTimeout(150_000);
  const team = await eddieDemotedWhileAdaEditsRex(browser);
  const { b, pageB, dogsOf, notSent } = team;
  try {
    await notSent.getByRole('button', { name: 'Discard them…' }).click();
    await pageB
      .getByRole('dialog')
      .getByRole('button', { name: /^Discard 1 change/ })
      .click();
    await expect(notSent).toHaveCount(0);
    await expect
      .poll(async () => (await dogsOf(b)).find((dog) => dog.name === 'Rex'), { timeout: 20_000 })
      .toMatchObject({ breed: 'Boxer', color: 'Black' });
    await expect(syncBadge(pageB)).toHaveAccessibleName(/^Sync status: In sync/, { timeout: 20_000 });
  } finally {
    await team.close();
  }
});

test('a viewer’s waiting change is sent after a promotion and merged with the teammate’s edit', async ({ browser }) => {
  test.setTimeout(150_000);
  const team = await eddieDemotedWhileAdaEditsRex(browser);
  const { a, b, pageA, pageB, dogsOf } = team;
  try {
    await changeRole(pageA, 'eddie', 'editor');
    await expect(syncBadge(pageB)).toHaveAccessibleName(/^Sync status: In sync/, { timeout: 20_000 });
    // Both changed the breed: the server's value stays for now and Eddie's is kept in an open conflict for an
    // admin; Ada's color, changed on her side only, is merged.
    await expect
      .poll(async () => JSON.stringify((await a.app.caller.conflicts.list()).items), { timeout: 20_000 })
      .toContain('Beagle');
    await expect
      .poll(async () => (await dogsOf(b)).find((dog) => dog.name === 'Rex'), { timeout: 20_000 })
      .toMatchObject({ breed: 'Boxer', color: 'Black' });
    // Eddie's audit entry of the edit reached the server too.
    await expect
      .poll(async () => (await a.app.caller.audit.query({ action: 'update' })).items.map((entry) => entry.actor.name), {
        timeout: 20_000,
      })
      .toContain('Eddie Editor');
  } finally {
    await team.close();
  }
});
