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
