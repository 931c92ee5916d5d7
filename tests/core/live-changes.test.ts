import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EntityDocument } from '../../shared/entities';
import { nextMatching, openTestCore, subscribe, type TestCore } from './helpers';

let core: TestCore;
beforeEach(async () => {
  core = await openTestCore();
});
afterEach(async () => {
  await core.dispose();
});

describe('pushed changes (issue 16)', () => {
  it('pushes each changed entry exactly as get returns it, and null once deleted permanently', async () => {
    const changes = await subscribe(core.call.entities.onChanges());
    const rex = (await core.call.entities.create({ type: 'dog', fields: { name: 'Rex' } })) as EntityDocument<'dog'>;
    const created = await nextMatching(changes, (c) => c.id === rex.id);
    expect(created).toEqual({
      type: 'dog',
      id: rex.id,
      document: await core.call.entities.get({ type: 'dog', id: rex.id }),
    });

    await core.call.entities.update({ type: 'dog', id: rex.id, rev: rex.rev, fields: { color: 'Tan' } });
    const updated = await nextMatching(changes, (c) => (c.document as EntityDocument<'dog'> | null)?.color === 'Tan');
    expect(updated.document).toEqual(await core.call.entities.get({ type: 'dog', id: rex.id }));

    await core.call.trash.deletePermanently({ items: [{ type: 'dog', id: rex.id }], confirm: true });
    await nextMatching(changes, (c) => c.id === rex.id && c.document === null);
    await changes.return?.();
  });
});
