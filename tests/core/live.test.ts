import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EntityDocument } from '../../shared/entities';
import { appErrorOf, nextMatching, openTestCore, subscribe, type TestCore } from './helpers';

let core: TestCore;
beforeEach(async () => {
  core = await openTestCore();
});
afterEach(async () => {
  await core.dispose();
});

describe('live subscriptions', () => {
  it('a list updates by itself when an entry is added, renamed or trashed', async () => {
    const list = await subscribe(core.call.entities.onList({ type: 'dog', sort: { field: 'name', direction: 'asc' } }));
    expect((await list.next()).value).toEqual({ items: [], nextCursor: null });
    const rex = (await core.call.entities.create({ type: 'dog', fields: { name: 'Rex' } })) as EntityDocument<'dog'>;
    await nextMatching(list, (page) => page.items.some((d) => (d as EntityDocument<'dog'>).name === 'Rex'));
    await core.call.entities.update({ type: 'dog', id: rex.id, rev: rex.rev, fields: { name: 'Ace' } });
    await nextMatching(list, (page) => page.items.some((d) => (d as EntityDocument<'dog'>).name === 'Ace'));
    await core.call.trash.trash({ items: [{ type: 'dog', id: rex.id }] });
    await nextMatching(list, (page) => page.items.length === 0);
    await list.return?.();
  });

  it('one document follows its edits and becomes null when deleted permanently', async () => {
    const rex = (await core.call.entities.create({ type: 'dog', fields: { name: 'Rex' } })) as EntityDocument<'dog'>;
    const doc = await subscribe(core.call.entities.onDocument({ type: 'dog', id: rex.id }));
    expect((await doc.next()).value).toMatchObject({ name: 'Rex' });
    await core.call.entities.update({ type: 'dog', id: rex.id, rev: rex.rev, fields: { color: 'Tan' } });
    await nextMatching(doc, (d) => (d as EntityDocument<'dog'> | null)?.color === 'Tan');
    await core.call.trash.deletePermanently({ items: [{ type: 'dog', id: rex.id }], confirm: true });
    await nextMatching(doc, (d) => d === null);
    await doc.return?.();
  });

  it('counts per type and the trash follow every change', async () => {
    const counts = await subscribe(core.call.entities.onCounts());
    expect((await counts.next()).value?.series).toEqual({ live: 0, trash: 0 });
    const trash = await subscribe(core.call.trash.onList({}));
    expect((await trash.next()).value?.items).toEqual([]);
    const series = await core.call.entities.create({ type: 'series', fields: { name: 'S' } });
    await nextMatching(counts, (c) => c.series.live === 1);
    await core.call.trash.trash({ items: [{ type: 'series', id: series.id }] });
    await nextMatching(counts, (c) => c.series.live === 0 && c.series.trash === 1);
    await nextMatching(trash, (page) => page.items.length === 1 && page.items[0]!.document.id === series.id);
    await counts.return?.();
    await trash.return?.();
  });

  it('subscriptions end when the core closes', async () => {
    const counts = await subscribe(core.call.entities.onCounts());
    await counts.next();
    const pending = counts.next();
    await core.close();
    expect(await pending).toEqual({ done: true, value: undefined });
  });
});

describe('settings', () => {
  it('has defaults, validates changes, keeps them across a reopen and streams them', async () => {
    expect(await core.call.settings.get()).toEqual({
      profileName: null,
      trashRetentionDays: 30,
      theme: 'system',
      notifyConflicts: true,
      notifySyncPaused: true,
      conflictBadge: true,
    });
    const live = await subscribe(core.call.settings.onChange());
    await live.next();
    await core.call.settings.update({ profileName: 'Alice', trashRetentionDays: 7 });
    await nextMatching(live, (s) => s.trashRetentionDays === 7);
    await live.return?.();
    const error = await appErrorOf(core.call.settings.update({ trashRetentionDays: 0 }));
    expect(error).toMatchObject({ appCode: 'VALIDATION' });
    expect(error.fieldErrors).toEqual([
      { field: 'trashRetentionDays', message: 'Trash retention must be at least 1 day.' },
    ]);

    // The local user now writes under the profile name.
    const dog = await core.call.entities.create({ type: 'dog', fields: { name: 'Named' } });
    expect(dog.createdBy).toEqual({ id: 'alice', name: 'Alice' });

    await core.close();
    const reopened = await openTestCore({ dataDir: core.dataDir });
    try {
      expect(await reopened.call.settings.get()).toMatchObject({ profileName: 'Alice', trashRetentionDays: 7 });
      expect(reopened.context.deviceId).toBe(core.context.deviceId);
    } finally {
      await reopened.close();
    }
  });
});
