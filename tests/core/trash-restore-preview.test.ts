import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALICE, appErrorOf, openTestCore, type TestCore } from './helpers';

/**
 * A restore from the trash is asked first (`trash.restorePreview`): who trashed each entry and when, which
 * cannot come back as it is, which will read like a live entry, and which links stay "in trash". The
 * restore then names the version it showed, and a refusal says "You" for the person's own change elsewhere.
 * Before, there was no preview, and a restore named no version: whatever had happened since came back unseen.
 */
const EDDIE = { id: 'eddie', name: 'Eddie Editor' };

let core: TestCore;
beforeEach(async () => {
  core = await openTestCore();
});
afterEach(async () => {
  await core.dispose();
});

function as(actor: { id: string; name: string }) {
  core.context.setSession({ actor, role: actor === ALICE ? 'admin' : 'editor' });
}

const create = (type: string, fields: Record<string, unknown>) =>
  core.call.entities.create({ type, fields } as never) as Promise<{ id: string; rev: string }>;

describe('trash.restorePreview', () => {
  it('names who trashed each entry and when, a taken name, a namesake and links that stay in the trash', async () => {
    const bob = await create('person', { name: 'Bob' });
    const ann = await create('person', { name: 'Ann' });
    const alps = await create('trip', { name: 'Alps' });
    const video = await create('video', { title: 'Winter Hike', people: [bob.id, ann.id], tripId: alps.id });
    as(EDDIE);
    await core.call.trash.trash({
      items: [
        { type: 'video', id: video.id },
        { type: 'person', id: bob.id },
        { type: 'person', id: ann.id },
        { type: 'trip', id: alps.id },
      ],
    });
    as(ALICE);
    // Meanwhile a live "bob" and a live "Alps" trip and "Winter  hike" video were made.
    await create('person', { name: 'bob' });
    const otherAlps = await create('trip', { name: 'alps', location: 'Austria' });
    const otherVideo = await create('video', { title: 'Winter  hike' });

    const { entries } = await core.call.trash.restorePreview({
      items: [
        { type: 'video', id: video.id },
        { type: 'person', id: ann.id },
        { type: 'person', id: bob.id },
        { type: 'trip', id: alps.id },
      ],
    });
    const byId = new Map(entries.map((entry) => [entry.id, entry]));
    const shown = byId.get(video.id)!;
    expect(shown.deletedBy).toEqual(EDDIE);
    expect(shown.deletedAt).toEqual(expect.any(String));
    expect(shown.refusal).toBeNull();
    // Ann and Alps come back along; Bob cannot (his name is taken), so only his link stays "in trash".
    expect(shown.linksInTrash.map((link) => [link.title, link.field])).toEqual([['Bob', 'People']]);
    expect(byId.get(bob.id)!.refusal).toBe(
      'Cannot restore the person "Bob": a live person named "bob" exists now. Rename one of them first.',
    );
    expect(byId.get(alps.id)!.namesakes.map((n) => n.id)).toEqual([otherAlps.id]);
    expect(byId.get(alps.id)!.namesakes[0]!.facts).toMatchObject({ location: 'Austria' });
    expect(shown.namesakes.map((n) => n.id)).toEqual([otherVideo.id]);
    expect(byId.get(ann.id)!.namesakes).toEqual([]);

    const alone = await core.call.trash.restorePreview({ items: [{ type: 'video', id: video.id }] });
    expect(alone.entries[0]!.linksInTrash.map((link) => [link.title, link.field]).sort()).toEqual([
      ['Alps', 'Trip'],
      ['Ann', 'People'],
      ['Bob', 'People'],
    ]);
  });

  it('reports each entry of a selection its own namesakes, all of them, looked up together', async () => {
    const walks = [await create('video', { title: 'Morning walk' }), await create('video', { title: 'Morning walk' })];
    const beach = await create('video', { title: 'Beach day' });
    const quiet = await create('video', { title: 'Quiet evening' });
    const alps = await create('trip', { name: 'Alps' });
    const trashed = [...walks, beach, quiet].map(({ id }) => ({ type: 'video' as const, id }));
    await core.call.trash.trash({ items: [...trashed, { type: 'trip', id: alps.id }] });
    // Live meanwhile: more "morning walk" videos than a search page holds, spelled apart; one "Beach  Day";
    // titles that only hold another ("Morning walk in Oslo") are not namesakes; an "ALPS" trip.
    const liveWalks: string[] = [];
    for (let i = 0; i < 60; i++) {
      const title = ['Morning walk', 'morning  walk', 'MORNING WALK'][i % 3]!;
      liveWalks.push((await create('video', { title, description: `Walk ${i}` })).id);
    }
    const liveBeach = await create('video', { title: 'Beach  Day' });
    await create('video', { title: 'Morning walk in Oslo' });
    await create('video', { title: 'Quiet evenings' });
    const liveAlps = await create('trip', { name: 'ALPS' });

    const { entries } = await core.call.trash.restorePreview({
      items: [...trashed, { type: 'trip', id: alps.id }],
    });
    const namesakesOf = (id: string) =>
      entries
        .find((entry) => entry.id === id)!
        .namesakes.map((n) => n.id)
        .sort();
    // Each trashed "Morning walk" has the 60 live ones, not the other one in the trash.
    for (const walk of walks) expect(namesakesOf(walk.id)).toEqual([...liveWalks].sort());
    expect(namesakesOf(beach.id)).toEqual([liveBeach.id]);
    expect(namesakesOf(quiet.id)).toEqual([]);
    expect(namesakesOf(alps.id)).toEqual([liveAlps.id]);
    const first = entries.find((entry) => entry.id === walks[0]!.id)!.namesakes.find((n) => n.id === liveWalks[0]);
    expect(first).toMatchObject({ title: 'Morning walk', facts: expect.objectContaining({ description: 'Walk 0' }) });
  });

  it('says who restored an entry that is no longer in the trash', async () => {
    const rex = await create('dog', { name: 'Rex' });
    await core.call.trash.trash({ items: [{ type: 'dog', id: rex.id }] });
    as(EDDIE);
    await core.call.trash.restore({ items: [{ type: 'dog', id: rex.id }] });
    as(ALICE);
    const { entries } = await core.call.trash.restorePreview({ items: [{ type: 'dog', id: rex.id }] });
    expect(entries[0]).toMatchObject({ deletedAt: null, restoredBy: EDDIE });
  });
});

describe('a restore that names the version it showed', () => {
  it('is refused when someone changed the entry in the trash since, naming them or "You"', async () => {
    const rex = await create('dog', { name: 'Rex' });
    await core.call.trash.trash({ items: [{ type: 'dog', id: rex.id }] });
    const asked = (await core.call.trash.restorePreview({ items: [{ type: 'dog', id: rex.id }] })).entries[0]!;
    as(EDDIE);
    const edited = await core.call.entities.update({
      type: 'dog',
      id: rex.id,
      fields: { breed: 'Husky' },
      rev: asked.rev,
    });
    as(ALICE);
    const error = await appErrorOf(core.call.trash.restore({ items: [{ type: 'dog', id: rex.id, rev: asked.rev }] }));
    expect(error.appCode).toBe('CONFLICT');
    expect(error.message).toBe(
      'Eddie Editor changed this dog in the trash meanwhile, so nothing was restored. ' +
        'Look at what the restore does again, then restore it if you still want to.',
    );
    await core.call.entities.update({ type: 'dog', id: rex.id, fields: { breed: 'Collie' }, rev: edited.rev });
    const mine = await appErrorOf(core.call.trash.restore({ items: [{ type: 'dog', id: rex.id, rev: edited.rev }] }));
    expect(mine.message).toBe(
      'You changed this dog in the trash in another window or on another device meanwhile, so nothing was restored. ' +
        'Look at what the restore does again, then restore it if you still want to.',
    );
    const stored = (await core.call.entities.get({ type: 'dog', id: rex.id })) as { deletedAt: string | null };
    expect(stored.deletedAt).not.toBeNull();
  });
});

describe('a permanent delete refused because the entry was restored meanwhile', () => {
  it('says "You" when the person deleting restored it themselves, elsewhere', async () => {
    const rex = await create('dog', { name: 'Rex' });
    const trashed = await core.call.trash.trash({ items: [{ type: 'dog', id: rex.id }] });
    expect(trashed).toBe(1);
    const asked = (await core.call.trash.restorePreview({ items: [{ type: 'dog', id: rex.id }] })).entries[0]!;
    await core.call.trash.restore({ items: [{ type: 'dog', id: rex.id }] });
    const error = await appErrorOf(
      core.call.trash.deletePermanently({ items: [{ type: 'dog', id: rex.id, rev: asked.rev }], confirm: true }),
    );
    expect(error.message).toBe(
      'You restored this dog from the trash in another window or on another device meanwhile, so nothing was ' +
        'deleted. It is back among the dogs.',
    );
  });
});
