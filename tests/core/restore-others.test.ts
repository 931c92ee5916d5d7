import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appErrorOf, ALICE, openTestCore, type TestCore } from './helpers';

let core: TestCore;
beforeEach(async () => {
  core = await openTestCore();
});
afterEach(async () => {
  await core.dispose();
});

const BO = { id: 'user:bo', name: 'Bo Editor' };

describe('a snapshot restore over what others changed since', () => {
  it('lists their entries as newer here, with who changed them, and asks (the token) before replacing them', async () => {
    const walk = await core.call.entities.create({ type: 'series', fields: { name: 'Walks' } });
    const snapshot = await core.context.services.snapshots.take('scheduled');

    // Since the snapshot, Bo (another person, pulled by the sync) renamed the series.
    core.context.setSession({ actor: BO, role: 'editor' });
    await core.call.entities.update({
      type: 'series',
      id: walk.id,
      fields: { name: 'Walks by the sea' },
      bases: { name: 'Walks' },
    });
    core.context.setSession({ actor: ALICE, role: 'admin' });

    const preview = await core.call.backup.previewRestore({ snapshotId: snapshot.id });
    expect(preview.counts).toMatchObject({ newerHere: 1, updated: 0 });
    expect(preview.entries.newerHere).toMatchObject([{ id: walk.id, title: 'Walks', hereUpdatedBy: 'Bo Editor' }]);

    // Nothing is replaced without the preview's token.
    expect(
      await appErrorOf(core.call.backup.restore({ snapshotId: snapshot.id, mode: 'exact', token: 'not-the-preview' })),
    ).toMatchObject({ appCode: 'CONFLICT' });
    expect(await core.call.entities.get({ type: 'series', id: walk.id })).toMatchObject({ name: 'Walks by the sea' });
  });
});
