import { expect, openLibrary, test } from './fixtures';
import { startAdaAndEddieBehindProxies } from './sync-fixtures';

/**
 * The "Move to trash" question follows the entry and what links to it, made for real by two people through a
 * team server: Eddie links a new video to Rex, then edits Rex, while Ada's question is open; the question
 * shows the new link and says who did what before Ada confirms, and the move keeps every link. Before, the
 * question kept what it read when it opened ('Appears in 1 video') and the move took Rex to the trash with a
 * link Ada was never shown.
 */
test('the Move to trash question shows a link a teammate makes while it is open', async ({ browser }) => {
  test.setTimeout(150_000);
  const { a, b, pageA, close } = await startAdaAndEddieBehindProxies(browser);
  const dog = (app: typeof a.app, id: string) => app.caller.entities.get({ type: 'dog', id });
  const video = (app: typeof a.app, id: string) =>
    app.caller.entities.get({ type: 'video', id }).then(
      (found) => found,
      () => null,
    );
  try {
    const rex = await a.app.caller.entities.create({ type: 'dog', fields: { name: 'Rex' } });
    const walk = await a.app.caller.entities.create({
      type: 'video',
      fields: { title: 'Rex on a walk', youtubeId: 'dQw4w9WgXcQ', dogs: [rex.id] },
    });
    await expect.poll(async () => (await video(b.app, walk.id)) !== null, { timeout: 30_000 }).toBe(true);

    await openLibrary(pageA, 'Dogs');
    await pageA.getByRole('row', { name: /Rex/ }).click();
    await pageA.getByRole('button', { name: 'Move to trash' }).click();
    const question = pageA.getByRole('dialog', { name: 'Other entries link to “Rex”. Move it to the trash?' });
    const links = question.getByRole('region', { name: 'Links to Rex' });
    await expect(links).toContainText('Rex: Appears in 1 video:');
    await expect(links.getByRole('listitem')).toHaveText(['Video: Rex on a walk']);

    // Eddie links a new video to Rex on his device; the sync brings it to Ada while her question is open.
    const beach = await b.app.caller.entities.create({
      type: 'video',
      fields: { title: 'Rex at the beach', youtubeId: 'dQw4w9WgXcQ', dogs: [rex.id] },
    });
    await expect(links).toContainText('Rex: Appears in 2 videos:', { timeout: 30_000 });
    await expect(links.getByRole('listitem')).toHaveText(['Video: Rex on a walk', 'Video: Rex at the beach']);
    await expect(question.getByRole('alert')).toContainText(
      'Eddie Editor linked Video: Rex at the beach to “Rex” while this question was open.',
    );
    expect((await dog(a.app, rex.id)).deletedAt).toBeNull();

    // Eddie edits Rex too: the question says so.
    await b.app.caller.entities.update({
      type: 'dog',
      id: rex.id,
      fields: { breed: 'Collie' },
      bases: { breed: null },
    });
    await expect(question.getByRole('alert')).toContainText(
      'Eddie Editor changed “Rex” while this question was open.',
      { timeout: 30_000 },
    );
    expect((await dog(a.app, rex.id)).deletedAt).toBeNull();

    // Confirmed as shown now, Rex goes to the trash, with Eddie's edit, and both videos keep their link.
    await question.getByRole('button', { name: 'Move to trash' }).click();
    await expect(question).toBeHidden();
    const trashed = await dog(a.app, rex.id);
    expect(trashed.deletedAt).not.toBeNull();
    expect((trashed as { breed?: string }).breed).toBe('Collie');
    for (const id of [walk.id, beach.id])
      expect(((await video(a.app, id)) as { dogs?: string[] } | null)?.dogs).toEqual([rex.id]);
  } finally {
    await close();
  }
});
