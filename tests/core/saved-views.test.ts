import { afterEach, describe, expect, it } from 'vitest';
import { appErrorOf, openTestCore, type TestCore } from './helpers';

let core: TestCore | undefined;
afterEach(async () => {
  await core?.dispose();
  core = undefined;
});

const biscuitsOf2025 = {
  type: 'video' as const,
  name: 'Biscuit in 2025',
  trash: 'live' as const,
  filters: { dogs: ['dog-biscuit'], publishedAt: { from: '2025', to: '2025' } },
  sort: { field: 'publishedAt', direction: 'desc' as const },
  columns: ['title', 'dogs', 'episode', 'seriesId'],
};

describe('saved views', () => {
  it('saves a named view (filters, trash state, sort, columns) per type and keeps it across a restart', async () => {
    core = await openTestCore();
    await core.call.views.save(biscuitsOf2025);
    await core.call.views.save({
      type: 'dog',
      name: 'Beagles',
      filters: { breed: { contains: 'beagle' } },
      columns: ['name', 'breed'],
    });
    const dataDir = core.dataDir;
    await core.close();

    core = await openTestCore({ dataDir });
    expect(await core.call.views.list({ type: 'video' })).toEqual([{ ...biscuitsOf2025, rev: expect.any(String) }]);
    expect(await core.call.views.list({ type: 'dog' })).toEqual([
      {
        type: 'dog',
        name: 'Beagles',
        trash: 'live',
        filters: { breed: { contains: 'beagle' } },
        sort: null,
        columns: ['name', 'breed'],
        rev: expect.any(String),
      },
    ]);
    expect(await core.call.views.list({ type: 'person' })).toEqual([]);
  });

  it('replaces a view saved again under the same name (case ignored) and deletes one by name', async () => {
    core = await openTestCore();
    await core.call.views.save(biscuitsOf2025);
    await core.call.views.save({ ...biscuitsOf2025, name: 'biscuit IN 2025', trash: 'all', columns: ['title'] });
    expect(
      (await core.call.views.list({ type: 'video' })).map((view) => [view.name, view.trash, view.columns]),
    ).toEqual([['biscuit IN 2025', 'all', ['title']]]);
    const [shown] = await core.call.views.list({ type: 'video' });
    await core.call.views.remove({ type: 'video', name: 'Biscuit in 2025', rev: shown!.rev });
    expect(await core.call.views.list({ type: 'video' })).toEqual([]);
    const missing = await appErrorOf(core.call.views.remove({ type: 'video', name: 'Nope', rev: shown!.rev }));
    expect(missing.appCode).toBe('NOT_FOUND');
  });

  it('refuses a view its list could not show, saying what is wrong', async () => {
    core = await openTestCore();
    const column = await appErrorOf(core.call.views.save({ ...biscuitsOf2025, columns: ['title', 'mood'] }));
    expect(column.appCode).toBe('VALIDATION');
    expect(column.message).toContain('Videos have no column "mood"');
    const filter = await appErrorOf(core.call.views.save({ ...biscuitsOf2025, filters: { colour: 'red' } }));
    expect(filter.message).toContain('no field "colour"');
    const sort = await appErrorOf(
      core.call.views.save({ ...biscuitsOf2025, sort: { field: 'mood', direction: 'asc' } }),
    );
    expect(sort.message).toContain('Cannot sort videos by "mood"');
    const name = await appErrorOf(core.call.views.save({ ...biscuitsOf2025, name: '  ' }));
    expect(name.appCode).toBe('VALIDATION');
    expect(await core.call.views.list({ type: 'video' })).toEqual([]);
  });
});

describe('trash state filter', () => {
  it('lists live entries, trashed ones, or both, combined with other filters', async () => {
    core = await openTestCore();
    const rex = await core.call.entities.create({ type: 'dog', fields: { name: 'Rex' } });
    await core.call.entities.create({ type: 'video', fields: { title: 'Kept', dogs: [rex.id] } });
    const gone = await core.call.entities.create({ type: 'video', fields: { title: 'Gone', dogs: [rex.id] } });
    await core.call.entities.create({ type: 'video', fields: { title: 'Other' } });
    await core.call.trash.trash({ items: [{ type: 'video', id: gone.id }] });
    const titles = async (view: 'live' | 'trash' | 'all') =>
      (await core!.call.entities.list({ type: 'video', view, filters: { dogs: [rex.id] } })).items.map((v) =>
        'title' in v ? v.title : v.id,
      );
    expect(await titles('live')).toEqual(['Kept']);
    expect(await titles('trash')).toEqual(['Gone']);
    expect(await titles('all')).toEqual(['Gone', 'Kept']);
  });
});
