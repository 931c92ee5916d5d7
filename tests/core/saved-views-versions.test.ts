import { afterEach, describe, expect, it } from 'vitest';
import { appErrorOf, openTestCore, type TestCore } from './helpers';

let core: TestCore | undefined;
afterEach(async () => {
  await core?.dispose();
  core = undefined;
});

const beagles = {
  type: 'dog' as const,
  name: 'Beagles',
  filters: { breed: { contains: 'beagle' } },
  columns: ['name', 'breed'],
};

/**
 * A saved view has a version, new at every save, and a delete names the version that was shown: a view
 * replaced since (saved again, e.g. in another window of the profile) is refused, never deleted unseen.
 */
describe('saved view versions', () => {
  it('gives a view a new version at every save, even one that holds the same', async () => {
    core = await openTestCore();
    const first = await core.call.views.save(beagles);
    const again = await core.call.views.save(beagles);
    expect(first.rev).toEqual(expect.any(String));
    expect(again.rev).not.toBe(first.rev);
    expect(await core.call.views.list({ type: 'dog' })).toMatchObject([{ name: 'Beagles', rev: again.rev }]);
  });

  it('refuses to delete a view replaced since the version shown (CONFLICT naming it), deleting nothing', async () => {
    core = await openTestCore();
    const shown = await core.call.views.save(beagles);
    // Another window replaces it under the same name (case ignored).
    const replaced = await core.call.views.save({ ...beagles, name: 'beagles', filters: {}, columns: ['name'] });

    const refused = await appErrorOf(core.call.views.remove({ type: 'dog', name: 'Beagles', rev: shown.rev }));
    expect(refused.appCode).toBe('CONFLICT');
    expect(refused.message).toContain('The view of dogs "beagles" was replaced in another window');
    expect(refused.message).toContain('Nothing was deleted');
    expect(await core.call.views.list({ type: 'dog' })).toEqual([
      { ...beagles, name: 'beagles', trash: 'live', sort: null, filters: {}, columns: ['name'], rev: replaced.rev },
    ]);

    // Shown as it is now, it can be deleted.
    await core.call.views.remove({ type: 'dog', name: 'Beagles', rev: replaced.rev });
    expect(await core.call.views.list({ type: 'dog' })).toEqual([]);
  });

  it('reads a view saved before versions as unversioned, keeping the views a Curio of then can read', async () => {
    core = await openTestCore();
    const local = core.context.database.local;
    await local.upsertLocal('saved-views', { views: [{ ...beagles, trash: 'live', sort: null }] });
    const [old] = await core.call.views.list({ type: 'dog' });
    expect(old).toMatchObject({ name: 'Beagles', rev: 'unversioned' });

    const saved = await core.call.views.save({ ...beagles, columns: ['name'] });
    const stored = (await local.getLocal<{ views: object[] }>('saved-views'))!.toJSON().data;
    // The versions sit beside the views: a view itself keeps only the fields an older Curio knows.
    expect(stored.views).toEqual([{ ...beagles, trash: 'live', sort: null, columns: ['name'] }]);
    const refused = await appErrorOf(core.call.views.remove({ type: 'dog', name: 'Beagles', rev: old!.rev }));
    expect(refused.appCode).toBe('CONFLICT');
    await core.call.views.remove({ type: 'dog', name: 'Beagles', rev: saved.rev });
    expect(await core.call.views.list({ type: 'dog' })).toEqual([]);
  });
});
