import { describe, expect, it } from 'vitest';
import type { EntityDocument, EntityType } from '../../shared/entities';
import { ALICE, appErrorOf, TestClock, useCorePerTest } from './helpers';

const clock = new TestClock('2026-03-01T12:00:00.000Z');
const core = useCorePerTest(clock);
const BO = { id: 'user:bo', name: 'Bo Editor' };

/** Ann, Rex and a video of both, all in the trash; a live video of both outside the batch. */
async function trashedTrio() {
  const ann = (await core.call.entities.create({ type: 'person', fields: { name: 'Ann' } })) as EntityDocument;
  const rex = (await core.call.entities.create({ type: 'dog', fields: { name: 'Rex' } })) as EntityDocument;
  const walk = (await core.call.entities.create({
    type: 'video',
    fields: { title: 'Walk', people: [ann.id], dogs: [rex.id] },
  })) as EntityDocument;
  const live = (await core.call.entities.create({
    type: 'video',
    fields: { title: 'Live', people: [ann.id], dogs: [rex.id] },
  })) as EntityDocument;
  const refs = [
    { type: 'person' as const, id: ann.id },
    { type: 'dog' as const, id: rex.id },
    { type: 'video' as const, id: walk.id },
  ];
  await core.call.trash.trash({ items: refs });
  return { ann, rex, walk, live, refs };
}

/** The trashed entries with the versions the trash list shows, as a confirmed delete names them. */
async function asListed(refs: { type: EntityType; id: string }[]) {
  const listed = new Map((await core.call.trash.list({})).items.map((item) => [item.document.id, item.document.rev]));
  return refs.map((ref) => ({ ...ref, rev: listed.get(ref.id)! }));
}

/** Whether the entry is deleted for good (NOT_FOUND); any other error fails the test. */
async function gone(type: EntityType, id: string): Promise<boolean> {
  try {
    await core.call.entities.get({ type, id });
    return false;
  } catch (error) {
    expect(await appErrorOf(Promise.reject(error))).toMatchObject({ appCode: 'NOT_FOUND' });
    return true;
  }
}

describe('a permanent delete of several entries, each at the version confirmed', () => {
  it.each([
    ['referenced entries first', [0, 1, 2]],
    ['the referring video first', [2, 0, 1]],
  ])('deletes entries that refer to each other (%s): the batch does not refuse itself', async (_, order) => {
    const { ann, rex, walk, live, refs } = await trashedTrio();
    const items = await asListed(order.map((index) => refs[index]!));

    expect(await core.call.trash.deletePermanently({ items, confirm: true })).toBe(3);

    for (const ref of refs) expect(await gone(ref.type, ref.id)).toBe(true);
    // The live video outside the batch loses its links to Ann and Rex in one audited update; the video
    // deleted along keeps its own (its purge entry records them).
    expect(await core.call.entities.get({ type: 'video', id: live.id })).toMatchObject({ people: [], dogs: [] });
    const removals = await core.call.audit.query({ action: 'reference.remove' });
    expect(removals.items.map((entry) => entry.entityId)).toEqual([live.id]);
    const purges = await core.call.audit.query({ action: 'purge' });
    expect(purges.items.map((entry) => entry.entityId).sort()).toEqual([ann.id, rex.id, walk.id].sort());
  });

  it('still refuses the whole batch when someone else changed a later entry since it was confirmed', async () => {
    const { ann, rex, walk, live, refs } = await trashedTrio();
    const items = await asListed(refs);
    const auditBefore = await core.call.audit.count({});

    // After the admin confirmed, Bo (pulled by the sync) restores the video.
    core.context.setSession({ actor: BO, role: 'editor' });
    await core.call.trash.restore({ items: [{ type: 'video', id: walk.id }] });
    core.context.setSession({ actor: ALICE, role: 'admin' });

    const refused = await appErrorOf(core.call.trash.deletePermanently({ items, confirm: true }));
    expect(refused).toMatchObject({
      appCode: 'CONFLICT',
      message: expect.stringContaining('Bo Editor restored this video from the trash meanwhile'),
    });
    // Nothing of the batch happened: Ann is still there and still linked from both videos.
    for (const ref of refs) expect(await gone(ref.type, ref.id)).toBe(false);
    expect(await core.call.entities.get({ type: 'video', id: walk.id })).toMatchObject({ people: [ann.id] });
    expect(await core.call.entities.get({ type: 'video', id: live.id })).toMatchObject({
      people: [ann.id],
      dogs: [rex.id],
    });
    expect(await core.call.audit.count({})).toBe(auditBefore + 1);
  });
});
