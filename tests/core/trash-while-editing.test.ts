import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EntityDocument } from '../../shared/entities';
import { appErrorOf, openTestCore, type TestCore } from './helpers';

/**
 * An editor's save names whether the entry was in the trash when editing began (`inTrash`): once
 * someone has moved it to the trash (or back) since, nothing is written and the refusal says who.
 * Before, such a save was written into the trashed entry and answered like any other.
 */
let core: TestCore;
beforeEach(async () => {
  core = await openTestCore();
});
afterEach(async () => {
  await core.dispose();
});

async function series(): Promise<EntityDocument<'series'>> {
  return (await core.call.entities.create({ type: 'series', fields: { name: 'Trail Notes' } })) as never;
}

const stored = (id: string) => core.call.entities.get({ type: 'series', id }) as Promise<EntityDocument<'series'>>;

function saveDescription(id: string, inTrash: boolean) {
  return core.call.entities.update({
    type: 'series',
    id,
    fields: { description: 'Three weeks of notes' },
    bases: { description: null },
    inTrash,
  });
}

describe('a save that started from a live entry', () => {
  it('is refused once someone moved the entry to the trash, naming who, and writes nothing', async () => {
    const opened = await series();
    const editing = core.context.session();
    core.context.setSession({ actor: { id: 'eddie', name: 'Eddie Editor' }, role: 'editor' });
    await core.call.trash.trash({ items: [{ type: 'series', id: opened.id }] });
    const trashed = await stored(opened.id);
    core.context.setSession(editing);

    const error = await appErrorOf(saveDescription(opened.id, false));
    expect(error.appCode).toBe('CONFLICT');
    expect(error.message).toBe(
      'Eddie Editor moved this series to the trash after you started editing, so nothing was saved. ' +
        'Restore it to save your changes to it, or discard them.',
    );
    expect(await stored(opened.id)).toEqual(trashed);
  });

  it('says "You" when the person saving moved it to the trash themselves, from another window', async () => {
    const opened = await series();
    await core.call.trash.trash({ items: [{ type: 'series', id: opened.id }] });

    const error = await appErrorOf(saveDescription(opened.id, false));
    expect(error.message).toBe(
      'You moved this series to the trash in another window or on another device after you started editing, ' +
        'so nothing was saved. Restore it to save your changes to it, or discard them.',
    );
  });

  it('names who moved it to the trash, not who edited it in the trash afterwards', async () => {
    const opened = await series();
    core.context.setSession({ actor: { id: 'ada', name: 'Ada Admin' }, role: 'admin' });
    await core.call.trash.trash({ items: [{ type: 'series', id: opened.id }] });
    core.context.setSession({ actor: { id: 'eddie', name: 'Eddie Editor' }, role: 'editor' });
    await core.call.entities.update({
      type: 'series',
      id: opened.id,
      fields: { name: 'Trail Notes (old)' },
      bases: { name: 'Trail Notes' },
      inTrash: true,
    });

    const error = await appErrorOf(saveDescription(opened.id, false));
    expect(error.message).toMatch(/^Ada Admin moved this series to the trash after you started editing/);
  });

  it('is written once the entry is restored, and a save that knew the entry was in the trash is written there', async () => {
    const opened = await series();
    await core.call.trash.trash({ items: [{ type: 'series', id: opened.id }] });
    expect(await saveDescription(opened.id, true)).toMatchObject({ description: 'Three weeks of notes' });

    await core.call.trash.restore({ items: [{ type: 'series', id: opened.id }] });
    const refused = await appErrorOf(saveDescription(opened.id, true));
    expect(refused.message).toContain(
      'You restored this series from the trash in another window or on another device after you started editing',
    );
    expect(await saveDescription(opened.id, false)).toMatchObject({ deletedAt: null });
  });
});
