import { v7 as uuidv7 } from 'uuid';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import type { AuditEntry } from '../../shared/audit';
import { ALICE, openTestCore, type TestCore } from './helpers';

let core: TestCore;
beforeEach(async () => {
  core = await openTestCore();
});
afterEach(async () => {
  await core.dispose();
});

/** A permanent delete recorded elsewhere and pulled here (its entity gone), `minutes` after 2026-01-01. */
function purgeEntry(title: string, minutes: number, entityId: string = uuidv7()): AuditEntry {
  return {
    id: uuidv7(),
    rev: uuidv7(),
    at: new Date(Date.UTC(2026, 0, 1) + minutes * 60_000).toISOString(),
    actor: ALICE,
    device: 'elsewhere',
    action: 'purge',
    entityType: 'dog',
    entityId,
    entityTitle: title,
    changes: [],
  };
}

const deletedTitles = async (query: string, limit: number) =>
  (await core.call.audit.entries({ type: 'dog', query, limit }))
    .filter((hit) => hit.state === 'deleted')
    .map((hit) => hit.title);

/**
 * The audit's Entry filter finds permanently deleted entries by the words typed, reading a page of the trail,
 * not every permanent delete: before, each keystroke read all purge entries (2,000 here) to match titles.
 */
it('finds permanently deleted entries among 2,000 right, reading no more than a page of the trail', async () => {
  const back = await core.call.entities.create({ type: 'dog', fields: { name: 'Rex Back' } });
  const entries = [
    ...Array.from({ length: 2000 }, (_, i) => purgeEntry(`Dog ${i}`, i)),
    ...Array.from({ length: 30 }, (_, i) => purgeEntry(`Rex ${i}`, 2000 + i)),
    purgeEntry('Łódź Hound', 3000),
    // Its delete lost to an edit (a delete conflict): it exists, so it is not offered as deleted.
    purgeEntry('Rex Back', 4000, back.id),
  ];
  await core.context.database.audit.bulkInsert(entries);
  // A permanent delete made here, through the service layer.
  const real = await core.call.entities.create({ type: 'dog', fields: { name: 'Rex Real' } });
  await core.call.trash.trash({ items: [{ type: 'dog', id: real.id }] });
  await core.call.trash.deletePermanently({ items: [{ type: 'dog', id: real.id }], confirm: true });

  const read = vi.spyOn(core.context.database.audit.storageInstance, 'query');
  try {
    // The page of 20: the live Rex Back, then the 19 newest deleted Rexes, newest first.
    const rex = await core.call.audit.entries({ type: 'dog', query: 'rex', limit: 20 });
    expect(rex).toHaveLength(20);
    expect(rex.filter((hit) => hit.state !== 'deleted').map((hit) => hit.title)).toEqual(['Rex Back']);
    expect(await deletedTitles('rex', 20)).toEqual([
      'Rex Real',
      ...Array.from({ length: 18 }, (_, i) => `Rex ${29 - i}`),
    ]);
    // Every word typed starts a word of the title; the newest first, at most the limit.
    expect(await deletedTitles('dog 7', 5)).toEqual(['Dog 799', 'Dog 798', 'Dog 797', 'Dog 796', 'Dog 795']);
    // The oldest of the 2,000, under all the others.
    expect(await deletedTitles('0 do', 20)).toEqual(['Dog 0']);
    // Folded as the search folds: "lodz" finds "Łódź".
    expect(await deletedTitles('lodz', 20)).toEqual(['Łódź Hound']);
    expect(await core.call.audit.entries({ type: 'dog', query: 'zzz', limit: 20 })).toEqual([]);
    // No keystroke read the purge entries of the trail through the store (before: 2,032 each time).
    const answers = await Promise.all(read.mock.results.map((result) => result.value as Promise<{ documents: [] }>));
    expect(answers.reduce((sum, answer) => sum + answer.documents.length, 0)).toBeLessThanOrEqual(20);
  } finally {
    read.mockRestore();
  }
});

it('keeps finding deleted entries recorded after the core opened, and across a reopen', async () => {
  await core.context.database.audit.bulkInsert([purgeEntry('Bella Gone', 1)]);
  expect(await deletedTitles('bel', 20)).toEqual(['Bella Gone']);
  const { dataDir } = core;
  await core.close();
  core = await openTestCore({ dataDir });
  await core.context.database.audit.insert(purgeEntry('Belle Gone', 2));
  expect(await deletedTitles('bel gone', 20)).toEqual(['Belle Gone', 'Bella Gone']);
});
