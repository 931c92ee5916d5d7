import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { appErrorOf, openTestCore, type TestCore } from './helpers';

/*
 * The sync pulls entries and audit entries in streams of their own, so a teammate's edit can land here a moment
 * (after a long time offline, many moments) before its history entry. Eddie's History panel shows the versions
 * his audit explains; "Restore this version" names the newest of them as what he saw. Before, the core rebuilt
 * that version from the entry as it now stood, Ada's unexplained edit included, so the restore took her value as
 * what Eddie had seen and wrote over it without a question.
 */

const ADA = { id: 'user:ada', name: 'Ada Admin' };

let core: TestCore;
beforeEach(async () => {
  core = await openTestCore();
});
afterEach(async () => {
  await core.dispose();
});

/** Ada's edit as the sync writes it here, before her audit entry has arrived. */
async function pullAdasEdit(id: string, fields: Record<string, unknown>) {
  const document = await core.context.database.entities.series.findOne(id).exec();
  await document!.incrementalPatch({
    ...fields,
    rev: randomUUID(),
    updatedAt: new Date().toISOString(),
    updatedBy: ADA,
  });
}

it('a teammate edit whose history entry has not arrived is not overwritten by restoring a version', async () => {
  const created = await core.call.entities.create({
    type: 'series',
    fields: { name: 'Mountain Days', description: 'First' },
  });
  await core.call.entities.update({
    type: 'series',
    id: created.id,
    fields: { name: 'Valley Days', description: 'Second' },
    bases: { name: 'Mountain Days', description: 'First' },
  });
  const shown = await core.call.history.list({ type: 'series', id: created.id });
  expect(shown).toHaveLength(2);

  await pullAdasEdit(created.id, { name: 'River Days' });
  // The history explains the entry by its audit: the newest version is still the one Eddie saw.
  const now = await core.call.history.list({ type: 'series', id: created.id });
  expect(now[0]!.version).toMatchObject({ name: 'Valley Days', description: 'Second' });

  const error = await appErrorOf(
    core.call.history.restore({
      type: 'series',
      id: created.id,
      entryId: shown[1]!.id,
      currentEntryId: shown[0]!.id,
    }),
  );
  expect(error.appCode).toBe('CONFLICT');
  // Named as the entry's last writer (the audit cannot say yet), in words for a restore, not for an editor.
  expect(error.message).toBe(
    'Ada Admin changed Name of this series after its history was shown (Name: that version "Mountain Days", ' +
      'now "River Days"). Nothing was restored. Look at the entry as it is now; to go back anyway, restore the ' +
      'version again once its history shows that change.',
  );
  expect(error.conflicts).toMatchObject([{ field: 'name', yours: 'Mountain Days', stored: 'River Days' }]);
  expect(await core.call.entities.get({ type: 'series', id: created.id })).toMatchObject({
    name: 'River Days',
    description: 'Second',
  });
});

it('restores the fields the unexplained edit left alone, and keeps that edit', async () => {
  const created = await core.call.entities.create({
    type: 'series',
    fields: { name: 'Mountain Days', description: 'First' },
  });
  await core.call.entities.update({
    type: 'series',
    id: created.id,
    fields: { description: 'Second' },
    bases: { description: 'First' },
  });
  const shown = await core.call.history.list({ type: 'series', id: created.id });
  await pullAdasEdit(created.id, { name: 'River Days' });
  const restored = await core.call.history.restore({
    type: 'series',
    id: created.id,
    entryId: shown[1]!.id,
    currentEntryId: shown[0]!.id,
  });
  expect(restored).toMatchObject({ name: 'River Days', description: 'First' });
});
