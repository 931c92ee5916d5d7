import { TcpProxy } from '../sync/tcp-proxy';
import { expect, openLibrary, startApp, test } from './fixtures';
import { createAdaAndEddie, FAST_SYNC, newPersonContext, signIn, startTeamServer } from './sync-fixtures';

/**
 * Two people offline each create a dog named "Rex"; after both reconnect, each device holds two live
 * dogs with that name (the uniqueness check is local; the sync keeps both). Before, every save of
 * either dog was then refused with "A dog named "Rex" already exists", even a save that left the
 * name alone. A save that keeps the stored name goes through; a rename onto a taken name is refused.
 */
test('two dogs named alike by an offline create: saving one of them without renaming it works', async ({ browser }) => {
  test.setTimeout(120_000);
  const { server, close: closeServer } = await startTeamServer();
  await createAdaAndEddie(server);
  const proxyA = await TcpProxy.start(server.url);
  const proxyB = await TcpProxy.start(server.url);
  const a = await startApp('Ada', { sync: { timing: FAST_SYNC } });
  const b = await startApp('Eddie', { sync: { timing: FAST_SYNC } });
  const pageA = await (await newPersonContext(browser)).newPage();
  const pageB = await (await newPersonContext(browser)).newPage();
  try {
    await pageA.goto(a.app.url);
    await pageB.goto(b.app.url);
    await signIn(pageA, proxyA.url, 'ada');
    await signIn(pageB, proxyB.url, 'eddie');

    proxyA.setOnline(false);
    proxyB.setOnline(false);
    await a.app.caller.entities.create({ type: 'dog', fields: { name: 'Rex', breed: 'Collie' } });
    await b.app.caller.entities.create({ type: 'dog', fields: { name: 'Rex', breed: 'Husky' } });
    await b.app.caller.entities.create({ type: 'dog', fields: { name: 'Max', breed: 'Beagle' } });
    proxyA.setOnline(true);
    proxyB.setOnline(true);

    await openLibrary(pageB, 'Dogs');
    const grid = pageB.getByRole('grid', { name: 'Dogs' });
    await expect(grid.getByRole('row', { name: /Rex/ })).toHaveCount(2, { timeout: 30_000 });
    await grid.getByRole('row', { name: /Rex.*Husky/ }).click();
    const form = pageB.getByRole('form', { name: 'dog form' });
    await form.getByRole('textbox', { name: 'Color' }).fill('Brown');
    await form.getByRole('button', { name: /^Save/ }).click();
    await expect(form.getByRole('status')).toHaveText('Saved.');
    await expect(form.getByRole('alert')).toHaveCount(0);

    // The rule still holds for a name the save sets.
    await form.getByRole('textbox', { name: /^Name/ }).fill('max');
    await form.getByRole('button', { name: /^Save/ }).click();
    await expect(form).toContainText('A dog named "Max" already exists.');

    // Ada, on her device, saves her Rex too once Eddie's has arrived.
    await openLibrary(pageA, 'Dogs');
    const gridA = pageA.getByRole('grid', { name: 'Dogs' });
    await expect(gridA.getByRole('row', { name: /Rex/ })).toHaveCount(2, { timeout: 30_000 });
    await gridA.getByRole('row', { name: /Rex.*Collie/ }).click();
    const formA = pageA.getByRole('form', { name: 'dog form' });
    await formA.getByLabel('Birth year').fill('2019');
    await formA.getByRole('button', { name: /^Save/ }).click();
    await expect(formA.getByRole('status')).toHaveText('Saved.');
  } finally {
    await pageA.context().close();
    await pageB.context().close();
    await a.stop();
    await b.stop();
    await proxyA.close();
    await proxyB.close();
    await closeServer();
  }
});
