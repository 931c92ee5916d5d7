import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EntityDocument } from '../../shared/entities';
import { appErrorOf, days, TestClock, useCorePerTest } from './helpers';

const clock = new TestClock('2026-03-01T12:00:00.000Z');
const core = useCorePerTest(clock);

const later = (n: number) => clock.advance(days(n));

async function create(type: 'person' | 'dog' | 'series' | 'video', fields: Record<string, unknown>) {
  return (await core.call.entities.create({ type, fields } as never)) as EntityDocument;
}

async function purge(scope: { olderThanDays?: number; everything?: boolean }, token: string) {
  const events = [];
  for await (const event of await core.call.trash.purge({ ...scope, token })) events.push(event);
  return events;
}

/** Ann and Rex are linked from two videos; a series nobody links to; all three trashed 31 days ago. */
async function trashedCatalog() {
  const ann = await create('person', { name: 'Ann' });
  const rex = await create('dog', { name: 'Rex' });
  const series = await create('series', { name: 'Walks' });
  const walk = await create('video', { title: 'Walk', people: [ann.id], dogs: [rex.id] });
  const talk = await create('video', { title: 'Talk', people: [ann.id] });
  await core.call.trash.trash({
    items: [
      { type: 'person', id: ann.id },
      { type: 'dog', id: rex.id },
      { type: 'series', id: series.id },
    ],
  });
  later(31);
  return { ann, rex, series, walk, talk };
}

describe('purge preview', () => {
  it('counts per type and lists the references it removes, by entry title', async () => {
    const { walk, talk } = await trashedCatalog();
    const preview = await core.call.trash.purgePreview({});
    expect(preview).toMatchObject({
      everything: false,
      olderThanDays: 30,
      retentionDays: 30,
      counts: { person: 1, dog: 1, series: 1, video: 0, trip: 0 },
      total: 3,
      references: {
        total: 3,
        entries: [
          { type: 'video', id: talk.id, title: 'Talk', removed: 1 },
          { type: 'video', id: walk.id, title: 'Walk', removed: 2 },
        ],
      },
    });
    // Previewing writes nothing.
    expect((await core.call.trash.list({})).items).toHaveLength(3);

    await purge({}, preview.token);
    expect((await core.call.trash.list({})).items).toHaveLength(0);
    const after = (await core.call.entities.get({ type: 'video', id: walk.id })) as EntityDocument<'video'>;
    expect(after).toMatchObject({ people: [], dogs: [] });
    // One audited update per removed link: Walk loses Ann and Rex, Talk loses Ann.
    expect((await core.call.audit.query({ action: 'reference.remove' })).items).toHaveLength(3);
  });

  it('does not list a referrer that is purged along with the entry', async () => {
    const ann = await create('person', { name: 'Ann' });
    const walk = await create('video', { title: 'Walk', people: [ann.id] });
    await core.call.trash.trash({ items: [{ type: 'video', id: walk.id }] });
    await core.call.trash.trash({ items: [{ type: 'person', id: ann.id }] });
    later(31);
    const preview = await core.call.trash.purgePreview({});
    expect(preview).toMatchObject({ total: 2, references: { total: 0, entries: [] } });
    await purge({}, preview.token);
    expect((await core.call.audit.query({ action: 'reference.remove' })).items).toHaveLength(0);
  });

  it('keeps the retention setting as the floor; below it only as the explicit "everything" choice', async () => {
    await trashedCatalog();
    const recent = await create('dog', { name: 'Fido' });
    await core.call.trash.trash({ items: [{ type: 'dog', id: recent.id }] });

    const below = await appErrorOf(core.call.trash.purgePreview({ olderThanDays: 0 }));
    expect(below).toMatchObject({ appCode: 'VALIDATION', message: expect.stringContaining('at least 30 days') });
    expect(below.fieldErrors).toEqual([{ field: 'olderThanDays', message: 'At least 30 days.' }]);
    // The purge itself checks the floor too, whatever token it is given.
    const preview = await core.call.trash.purgePreview({});
    expect((await appErrorOf(purge({ olderThanDays: 0 }, preview.token))).appCode).toBe('VALIDATION');
    expect((await core.call.trash.list({})).items).toHaveLength(4);

    const everything = await core.call.trash.purgePreview({ everything: true });
    expect(everything).toMatchObject({ everything: true, olderThanDays: null, total: 4, counts: { dog: 2 } });
    expect((await purge({ everything: true }, everything.token)).at(-1)).toEqual({ type: 'done', purged: 4 });
    expect((await core.call.trash.list({})).items).toHaveLength(0);
  });

  it('refuses a stale preview: the trash changed since, nothing is purged', async () => {
    const { ann } = await trashedCatalog();
    const preview = await core.call.trash.purgePreview({});
    await core.call.trash.restore({ items: [{ type: 'person', id: ann.id }] });
    const stale = await appErrorOf(purge({}, preview.token));
    expect(stale).toMatchObject({ appCode: 'CONFLICT', message: expect.stringContaining('changed since the preview') });
    expect((await core.call.trash.list({})).items).toHaveLength(2);

    // A new link to a trashed entry (as replication can bring one) changes what the purge removes: stale too.
    const video = await create('video', { title: 'Later' });
    const fresh = await core.call.trash.purgePreview({});
    const rex = (await core.call.trash.list({ type: 'dog' })).items[0]!.document;
    await core.context.database.entities.video
      .findOne(video.id)
      .exec()
      .then((doc) => doc!.incrementalPatch({ dogs: [rex.id] }));
    expect((await appErrorOf(purge({}, fresh.token))).appCode).toBe('CONFLICT');
  });

  it('takes a safety snapshot holding the purged entries before it deletes', async () => {
    const { ann, rex } = await trashedCatalog();
    const preview = await core.call.trash.purgePreview({});
    await purge({}, preview.token);
    const [snapshot] = await core.call.backup.snapshots();
    expect(snapshot).toMatchObject({ reason: 'before-purge', takenAt: clock.now.toISOString(), entries: 5 });
    const file = JSON.parse(await readFile(join(core.dataDir, 'snapshots', `${snapshot!.id}.json`), 'utf8')) as {
      collections: Record<string, { id: string }[]>;
    };
    expect(file.collections.person!.map((d) => d.id)).toEqual([ann.id]);
    expect(file.collections.dog!.map((d) => d.id)).toEqual([rex.id]);
  });
});
