import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EntityDocument } from '../../shared/entities';
import { appErrorOf, openTestCore, type TestCore } from './helpers';

/** Issue 11, point 5: links to trashed entries are kept, warned about, and never block unrelated saves. */
let core: TestCore;
beforeEach(async () => {
  core = await openTestCore();
});
afterEach(async () => {
  await core.dispose();
});

async function create<T extends 'person' | 'video' | 'trip'>(
  type: T,
  fields: { name: string } | { title: string; people?: string[]; tripId?: string },
) {
  return (await core.call.entities.create({ type, fields } as Parameters<
    typeof core.call.entities.create
  >[0])) as EntityDocument<T>;
}

async function video(id: string) {
  return (await core.call.entities.get({ type: 'video', id })) as EntityDocument<'video'>;
}

describe('saving an entry that links to a trashed entry', () => {
  it('saves unrelated changes and keeps the existing link', async () => {
    const ann = await create('person', { name: 'Ann' });
    const trip = await create('trip', { name: 'Alps' });
    const walk = await create('video', { title: 'Walk', people: [ann.id], tripId: trip.id });
    await core.call.trash.trash({
      items: [
        { type: 'person', id: ann.id },
        { type: 'trip', id: trip.id },
      ],
    });

    const saved = await core.call.entities.update({
      type: 'video',
      id: walk.id,
      rev: walk.rev,
      fields: { duration: '03:10' },
    });
    expect(saved).toMatchObject({ duration: '03:10', people: [ann.id], tripId: trip.id });
    expect(await video(walk.id)).toMatchObject({ duration: '03:10', people: [ann.id], tripId: trip.id });
  });

  it('refuses a new link to a trashed entry, naming it, and leaves the stored entry as it was', async () => {
    const ann = await create('person', { name: 'Ann' });
    const bob = await create('person', { name: 'Bob' });
    const walk = await create('video', { title: 'Walk', people: [ann.id] });
    await core.call.trash.trash({ items: [{ type: 'person', id: bob.id }] });

    const error = await appErrorOf(
      core.call.entities.update({ type: 'video', id: walk.id, rev: walk.rev, fields: { people: [ann.id, bob.id] } }),
    );
    expect(error.appCode).toBe('VALIDATION');
    expect(error.fieldErrors).toEqual([
      { field: 'people', message: 'The person "Bob" is in the trash; restore it first or remove it here.' },
    ]);
    expect((await video(walk.id)).people).toEqual([ann.id]);

    const created = await appErrorOf(
      core.call.entities.create({ type: 'video', fields: { title: 'Run', people: [bob.id] } }),
    );
    expect(created.message).toContain('The person "Bob" is in the trash');
  });

  it('checks only the links a save adds: a trashed link kept beside a new live one saves', async () => {
    const ann = await create('person', { name: 'Ann' });
    const cat = await create('person', { name: 'Cat' });
    const walk = await create('video', { title: 'Walk', people: [ann.id] });
    await core.call.trash.trash({ items: [{ type: 'person', id: ann.id }] });

    await core.call.entities.update({
      type: 'video',
      id: walk.id,
      rev: walk.rev,
      fields: { people: [ann.id, cat.id] },
    });
    expect((await video(walk.id)).people).toEqual([ann.id, cat.id]);
  });
});

describe('the trash preview', () => {
  it('lists the live entries that link to each entry, leaving out those trashed already or along', async () => {
    const ann = await create('person', { name: 'Ann' });
    const bob = await create('person', { name: 'Bob' });
    const loner = await create('person', { name: 'Loner' });
    const one = await create('video', { title: 'One', people: [ann.id, bob.id] });
    await create('video', { title: 'Two', people: [ann.id] });
    const three = await create('video', { title: 'Three', people: [ann.id] });
    await core.call.trash.trash({ items: [{ type: 'video', id: three.id }] });

    const preview = await core.call.trash.trashPreview({
      items: [
        { type: 'person', id: ann.id },
        { type: 'person', id: loner.id },
      ],
    });
    expect(preview.linked).toHaveLength(1);
    expect(preview.linked[0]).toMatchObject({
      type: 'person',
      id: ann.id,
      title: 'Ann',
      summary: 'Appears in 2 videos.',
    });
    expect(preview.linked[0]!.referrers.map((r) => r.title).sort()).toEqual(['One', 'Two']);

    const withVideo = await core.call.trash.trashPreview({
      items: [
        { type: 'person', id: bob.id },
        { type: 'video', id: one.id },
      ],
    });
    expect(withVideo.linked).toEqual([]);
  });
});

describe('a move to the trash confirmed on its question', () => {
  const BOB = { id: 'bob', name: 'Bob Editor' };
  /** Bob (a teammate whose change the sync brought) does `write`; the session goes back to Alice's. */
  async function asBob<T>(write: () => Promise<T>): Promise<T> {
    const own = core.context.session();
    core.context.setSession({ actor: BOB, role: 'editor' });
    try {
      return await write();
    } finally {
      core.context.setSession(own);
    }
  }

  it('moves nothing changed or newly linked since the question showed it, and says who did what', async () => {
    const rex = await core.call.entities.create({ type: 'dog', fields: { name: 'Rex' } });
    await core.call.entities.create({ type: 'video', fields: { title: 'Rex on a walk', dogs: [rex.id] } });
    const shown = await core.call.trash.trashPreview({ items: [{ type: 'dog', id: rex.id }] });
    const asked = shown.versions[0]!;
    const linked = shown.linked[0]!.referrers.map((r) => r.id);
    expect(asked).toMatchObject({ id: rex.id, rev: rex.rev, inTrash: false });

    // Bob links a new video to Rex: the dog's version is the same, but the question did not show that link.
    await asBob(() =>
      core.call.entities.create({ type: 'video', fields: { title: 'Rex at the beach', dogs: [rex.id] } }),
    );
    const newLink = await appErrorOf(
      core.call.trash.trash({ items: [{ type: 'dog', id: rex.id, rev: asked.rev, linked }] }),
    );
    expect(newLink.appCode).toBe('CONFLICT');
    expect(newLink.message).toBe(
      'Bob Editor linked Video: Rex at the beach to this dog meanwhile, so nothing was moved to the trash. ' +
        'Look at what links to it again, then move it if you still want to.',
    );
    expect((await core.call.entities.get({ type: 'dog', id: rex.id })).deletedAt).toBeNull();

    // Bob edits Rex: a move naming the version shown before is refused too.
    await asBob(() =>
      core.call.entities.update({ type: 'dog', id: rex.id, fields: { breed: 'Collie' }, rev: rex.rev }),
    );
    const again = await core.call.trash.trashPreview({ items: [{ type: 'dog', id: rex.id }] });
    const edited = await appErrorOf(
      core.call.trash.trash({
        items: [{ type: 'dog', id: rex.id, rev: asked.rev, linked: again.linked[0]!.referrers.map((r) => r.id) }],
      }),
    );
    expect(edited.appCode).toBe('CONFLICT');
    expect(edited.message).toBe(
      'Bob Editor changed this dog meanwhile, so nothing was moved to the trash. Look at it again, then move it if you still want to.',
    );
    expect((await core.call.entities.get({ type: 'dog', id: rex.id })).deletedAt).toBeNull();

    // Confirmed on the question as it is now, the move goes ahead and keeps both links.
    const moved = await core.call.trash.trash({
      items: [
        {
          type: 'dog',
          id: rex.id,
          rev: again.versions[0]!.rev,
          linked: again.linked[0]!.referrers.map((r) => r.id),
        },
      ],
    });
    expect(moved).toBe(1);
    expect((await core.call.entities.get({ type: 'dog', id: rex.id })).deletedAt).not.toBeNull();
  });

  it('leaves an entry someone moved to the trash meanwhile as it is, and moves the rest', async () => {
    const rex = await core.call.entities.create({ type: 'dog', fields: { name: 'Rex' } });
    const max = await core.call.entities.create({ type: 'dog', fields: { name: 'Max' } });
    await asBob(() => core.call.trash.trash({ items: [{ type: 'dog', id: rex.id }] }));
    const moved = await core.call.trash.trash({
      items: [
        { type: 'dog', id: rex.id, rev: rex.rev, linked: [] },
        { type: 'dog', id: max.id, rev: max.rev, linked: [] },
      ],
    });
    expect(moved).toBe(1);
    expect((await core.call.entities.get({ type: 'dog', id: rex.id })).deletedBy).toMatchObject({ id: 'bob' });
    expect((await core.call.entities.get({ type: 'dog', id: max.id })).deletedAt).not.toBeNull();
  });
});
