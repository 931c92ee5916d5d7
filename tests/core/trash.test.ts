import { describe, expect, it } from 'vitest';
import type { EntityDocument } from '../../shared/entities';
import { appErrorOf, days, TestClock, useCorePerTest } from './helpers';

const clock = new TestClock('2026-03-01T12:00:00.000Z');
const core = useCorePerTest(clock);

async function person(name: string) {
  return (await core.call.entities.create({ type: 'person', fields: { name } })) as EntityDocument<'person'>;
}

describe('trash and restore', () => {
  it('soft-deletes: the entry leaves live lists, keeps its references, and comes back on restore', async () => {
    const ann = await person('Ann');
    const video = await core.call.entities.create({ type: 'video', fields: { title: 'Walk', people: [ann.id] } });
    expect(await core.call.trash.trash({ items: [{ type: 'person', id: ann.id }] })).toBe(1);
    const trashed = (await core.call.entities.get({ type: 'person', id: ann.id })) as EntityDocument<'person'>;
    expect(trashed).toMatchObject({
      deletedAt: clock.now.toISOString(),
      deletedBy: { id: 'alice', name: 'Alice Admin' },
    });
    expect((await core.call.entities.list({ type: 'person' })).items).toHaveLength(0);
    expect((await core.call.trash.list({})).items.map((i) => i.document.id)).toEqual([ann.id]);
    expect(((await core.call.entities.get({ type: 'video', id: video.id })) as EntityDocument<'video'>).people).toEqual(
      [ann.id],
    );
    expect(await core.call.trash.restore({ items: [{ type: 'person', id: ann.id }] })).toBe(1);
    expect((await core.call.entities.get({ type: 'person', id: ann.id })).deletedAt).toBeNull();
  });

  it('refuses a restore when a live entry has taken the name meanwhile, and restores nothing of the batch', async () => {
    const ann = await person('Ann');
    const bea = await person('Bea');
    await core.call.trash.trash({
      items: [
        { type: 'person', id: ann.id },
        { type: 'person', id: bea.id },
      ],
    });
    await person('ANN');
    const error = await appErrorOf(
      core.call.trash.restore({
        items: [
          { type: 'person', id: bea.id },
          { type: 'person', id: ann.id },
        ],
      }),
    );
    expect(error.appCode).toBe('VALIDATION');
    expect(error.fieldErrors).toEqual([
      {
        field: 'name',
        message: 'Cannot restore the person "Ann": a live person named "ANN" exists now. Rename one of them first.',
      },
    ]);
    expect(error.message).toBe(
      'The restore is not valid. Name: Cannot restore the person "Ann": a live person named "ANN" exists now. Rename one of them first.',
    );
    expect((await core.call.entities.get({ type: 'person', id: bea.id })).deletedAt).not.toBeNull();
  });

  it('pages the trash of all types, most recently deleted first', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      clock.advance(1000);
      const dog = await core.call.entities.create({ type: i % 2 ? 'dog' : 'series', fields: { name: `N${i}` } });
      await core.call.trash.trash({ items: [{ type: i % 2 ? 'dog' : 'series', id: dog.id }] });
      ids.unshift(dog.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { document: { id: string } }[]; nextCursor: string | null } = await core.call.trash.list({
        cursor,
        limit: 3,
      });
      seen.push(...page.items.map((i) => i.document.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(ids);
  });
});

describe('permanent delete', () => {
  it('reports references, requires confirmation, removes the references (audited) and then deletes', async () => {
    const ann = await person('Ann');
    const bob = await person('Bob');
    const videos = [];
    for (const title of ['One', 'Two']) {
      videos.push(await core.call.entities.create({ type: 'video', fields: { title, people: [ann.id, bob.id] } }));
    }
    const report = await core.call.trash.references({ type: 'person', id: ann.id });
    expect(report.summary).toBe('Appears in 2 videos.');
    expect(report.referrers.map((r) => [r.title, r.field])).toEqual([
      ['One', 'people'],
      ['Two', 'people'],
    ]);

    const refused = await appErrorOf(core.call.trash.deletePermanently({ items: [{ type: 'person', id: ann.id }] }));
    expect(refused).toMatchObject({ appCode: 'REFERENCED', message: expect.stringContaining('Appears in 2 videos.') });
    expect(await core.call.entities.get({ type: 'person', id: ann.id })).toBeTruthy();

    await core.call.trash.deletePermanently({ items: [{ type: 'person', id: ann.id }], confirm: true });
    expect((await appErrorOf(core.call.entities.get({ type: 'person', id: ann.id }))).appCode).toBe('NOT_FOUND');
    for (const video of videos) {
      expect(
        ((await core.call.entities.get({ type: 'video', id: video.id })) as EntityDocument<'video'>).people,
      ).toEqual([bob.id]);
    }
    const removals = await core.call.audit.query({ action: 'reference.remove' });
    expect(removals.items).toHaveLength(2);
    expect(removals.items[0]!.changes).toEqual([{ field: 'people', from: [ann.id, bob.id], to: [bob.id] }]);
    const purge = await core.call.audit.query({ action: 'purge' });
    expect(purge.items).toMatchObject([{ entityId: ann.id, entityTitle: 'Ann' }]);
  });

  it('is all or nothing: one missing entry in a batch rolls back the reference removals and deletes', async () => {
    const ann = await person('Ann');
    const video = await core.call.entities.create({ type: 'video', fields: { title: 'One', people: [ann.id] } });
    const auditBefore = await core.call.audit.count({});
    const missing = '01900000-0000-7000-8000-0000000000ff';
    const error = await appErrorOf(
      core.call.trash.deletePermanently({
        items: [
          { type: 'person', id: ann.id },
          { type: 'person', id: missing },
        ],
        confirm: true,
      }),
    );
    expect(error.appCode).toBe('NOT_FOUND');
    expect(await core.call.entities.get({ type: 'person', id: ann.id })).toMatchObject({ name: 'Ann' });
    expect(((await core.call.entities.get({ type: 'video', id: video.id })) as EntityDocument<'video'>).people).toEqual(
      [ann.id],
    );
    expect(await core.call.audit.count({})).toBe(auditBefore);
    // The rolled-back entries are writable again.
    await core.call.trash.deletePermanently({ items: [{ type: 'person', id: ann.id }], confirm: true });
    expect(((await core.call.entities.get({ type: 'video', id: video.id })) as EntityDocument<'video'>).people).toEqual(
      [],
    );
  });

  it('asks for confirmation even when nothing refers to the entry', async () => {
    const ann = await person('Ann');
    const error = await appErrorOf(core.call.trash.deletePermanently({ items: [{ type: 'person', id: ann.id }] }));
    expect(error).toMatchObject({
      appCode: 'CONFIRMATION_REQUIRED',
      message: expect.stringContaining('cannot be undone'),
    });
  });

  it('says in words for one and for many what a permanent delete removes references from', async () => {
    const ann = await person('Ann');
    const bob = await person('Bob');
    await core.call.entities.create({ type: 'video', fields: { title: 'Walk', people: [ann.id] } });
    const two = await appErrorOf(
      core.call.trash.deletePermanently({
        items: [
          { type: 'person', id: ann.id },
          { type: 'person', id: bob.id },
        ],
      }),
    );
    expect(two).toMatchObject({
      appCode: 'REFERENCED',
      message:
        '1 of them is referenced elsewhere. Deleting these 2 entries permanently removes them from those entries too and cannot be undone. Confirm to go ahead.',
    });
    const one = await appErrorOf(core.call.trash.deletePermanently({ items: [{ type: 'person', id: ann.id }] }));
    expect(one.message).toBe(
      'Appears in 1 video. Deleting this entry permanently removes it from those entries too and cannot be undone. Confirm to go ahead.',
    );
  });

  it('purges only entries in the trash longer than the retention, with progress', async () => {
    const old = await person('Old');
    const recent = await person('Recent');
    const video = await core.call.entities.create({
      type: 'video',
      fields: { title: 'V', people: [old.id, recent.id] },
    });
    await core.call.trash.trash({ items: [{ type: 'person', id: old.id }] });
    clock.advance(days(20));
    await core.call.trash.trash({ items: [{ type: 'person', id: recent.id }] });
    clock.advance(days(11));

    const { token } = await core.call.trash.purgePreview({});
    const events = [];
    for await (const event of await core.call.trash.purge({ token })) events.push(event);
    expect(events).toEqual([
      { type: 'progress', done: 0, total: 1 },
      { type: 'progress', done: 1, total: 1 },
      { type: 'done', purged: 1 },
    ]);
    expect((await core.call.trash.list({})).items.map((i) => i.document.id)).toEqual([recent.id]);
    const after = (await core.call.entities.get({ type: 'video', id: video.id })) as EntityDocument<'video'>;
    expect(after.people).toEqual([recent.id]);
    expect((await core.call.audit.query({ action: 'reference.remove' })).items).toHaveLength(1);

    const everything = await core.call.trash.purgePreview({ everything: true });
    const all = [];
    for await (const event of await core.call.trash.purge({ everything: true, token: everything.token }))
      all.push(event);
    expect(all.at(-1)).toEqual({ type: 'done', purged: 1 });
  });
});
