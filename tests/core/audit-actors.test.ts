import { afterEach, beforeEach, expect, it } from 'vitest';
import { ALICE, openTestCore, type TestCore } from './helpers';

let core: TestCore;
beforeEach(async () => {
  core = await openTestCore();
});
afterEach(async () => {
  await core.dispose();
});

/**
 * The audit screen's Actor filter offers everyone in the trail. Before, its choices came from the latest
 * 1,000 entries, so someone whose entries were all older could not be picked.
 */
it('lists every actor in the audit, with the name of their latest entry, however old', async () => {
  core.context.setSession({ actor: { id: 'early', name: 'Early' }, role: 'editor' });
  await core.call.entities.create({ type: 'dog', fields: { name: 'First' } });
  core.context.setSession({ actor: { id: 'early', name: 'Early Bird' }, role: 'editor' });
  await core.call.entities.create({ type: 'dog', fields: { name: 'Second' } });
  core.context.setSession({ actor: { id: 'bob', name: 'Bob' }, role: 'editor' });
  await core.call.entities.create({ type: 'dog', fields: { name: 'Third' } });
  core.context.setSession({ actor: ALICE, role: 'admin' });
  for (let i = 0; i < 1000; i++) await core.call.entities.create({ type: 'trip', fields: { name: `Trip ${i}` } });

  const latest = await core.call.audit.query({ limit: 1000 });
  expect(new Set(latest.items.map((entry) => entry.actor.id))).toEqual(new Set([ALICE.id]));

  const actors = await core.call.audit.actors();
  expect(actors).toEqual([
    { id: ALICE.id, name: ALICE.name },
    { id: 'bob', name: 'Bob' },
    { id: 'early', name: 'Early Bird' },
  ]);
  const picked = await core.call.audit.query({ actorId: 'early' });
  expect(picked.items.map((entry) => entry.entityTitle)).toEqual(['Second', 'First']);
});

it('lists no actors for an empty audit', async () => {
  expect(await core.call.audit.actors()).toEqual([]);
});
