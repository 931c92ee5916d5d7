import { expect, test } from './fixtures';
import { startAdaAndEddieBehindProxies } from './sync-fixtures';

/**
 * An edit versus a permanent delete, made for real by two people through a team server: the edit won,
 * Eddie linked a video to the dog, and Ada's "Delete permanently after all" in the conflict detail asks
 * first, as every permanent delete does: it names what links to the dog, wants the typed word, and
 * deletes nothing when Eddie edits the dog again while the question is open. Before, one click deleted
 * the dog (and took it out of Eddie's video) without a word.
 */
test('Delete permanently after all asks first and deletes nothing edited meanwhile', async ({ browser }) => {
  test.setTimeout(150_000);
  const { proxyA, a, b, pageA, close } = await startAdaAndEddieBehindProxies(browser);
  const has = (app: typeof a.app, id: string) =>
    app.caller.entities.get({ type: 'dog', id }).then(
      (dog) => !!dog,
      () => false,
    );
  const sent = (app: typeof a.app) =>
    expect.poll(async () => (await app.caller.sync.waiting()).length, { timeout: 20_000 }).toBe(0);
  try {
    const rex = await a.app.caller.entities.create({ type: 'dog', fields: { name: 'Rex', breed: 'Collie' } });
    await expect.poll(() => has(b.app, rex.id)).toBe(true);

    // Ada deletes Rex on her device while offline; Eddie edits him and links a video to him, first on the server.
    await proxyA.setOnline(false);
    await expect.poll(async () => (await a.app.caller.sync.status()).phase).toBe('offline');
    await a.app.caller.trash.deletePermanently({ items: [{ type: 'dog', id: rex.id }], confirm: true });
    await b.app.caller.entities.update({ type: 'dog', id: rex.id, fields: { color: 'Brown' }, bases: { color: null } });
    const walk = await b.app.caller.entities.create({
      type: 'video',
      fields: { title: 'Rex on a walk', youtubeId: 'dQw4w9WgXcQ', dogs: [rex.id] },
    });
    await sent(b.app);
    await proxyA.setOnline(true);
    await expect.poll(() => has(a.app, rex.id), { timeout: 30_000 }).toBe(true);

    const nav = pageA.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /^Conflicts/ });
    await expect(nav).toContainText('1', { timeout: 30_000 });
    await nav.click();
    await pageA.getByRole('table', { name: 'Conflicts' }).getByRole('button', { name: /Rex/ }).click();
    const detail = pageA.getByRole('region', { name: /^Dog: / });
    const deleteAfterAll = detail.getByRole('button', { name: /^Delete permanently after all/ });

    // The click asks: what links to Rex, and the typed word. Nothing is deleted by the click itself.
    await deleteAfterAll.click();
    const question = pageA.getByRole('dialog', { name: 'Delete this dog permanently after all?' });
    await expect(question).toBeVisible();
    await expect(question.getByRole('list', { name: 'Referenced by' })).toContainText('Video: Rex on a walk');
    const confirm = question.getByRole('button', { name: 'Delete permanently' });
    await expect(confirm).toBeDisabled();
    expect(await has(a.app, rex.id)).toBe(true);
    await question.getByRole('button', { name: 'Cancel' }).click();
    await expect(question).toBeHidden();
    expect(await has(a.app, rex.id)).toBe(true);

    // Eddie edits Rex again while Ada's question is open: it says so, and the typed word deletes nothing.
    await deleteAfterAll.click();
    await question.getByLabel('Type DELETE to confirm').fill('DELETE');
    await b.app.caller.entities.update({
      type: 'dog',
      id: rex.id,
      fields: { color: 'Black' },
      bases: { color: 'Brown' },
    });
    await expect(question.getByRole('alert')).toContainText(
      'Eddie Editor changed this dog while this question was open, so it will not be deleted from here.',
      { timeout: 30_000 },
    );
    await expect(confirm).toBeDisabled();
    expect(await has(a.app, rex.id)).toBe(true);
    await question.getByRole('button', { name: 'Cancel' }).click();

    // Asked again about the dog as it is now, the typed word deletes it and takes it out of the video.
    await deleteAfterAll.click();
    await expect(question.getByRole('list', { name: 'Referenced by' })).toContainText('Video: Rex on a walk');
    await question.getByLabel('Type DELETE to confirm').fill('DELETE');
    await confirm.click();
    await expect(question).toBeHidden();
    await expect.poll(() => has(a.app, rex.id)).toBe(false);
    const video = await a.app.caller.entities.get({ type: 'video', id: walk.id });
    expect((video as { dogs?: string[] }).dogs ?? []).toEqual([]);
  } finally {
    await close();
  }
});
