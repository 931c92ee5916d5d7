import { describe, expect, it } from 'vitest';
import { ENTITY_TYPES, type EntityType } from '../../shared/entities';
import { describePurge, type PurgeSummary } from '../../server/sync';

const counts = (some: Partial<Record<EntityType, number>>) =>
  Object.fromEntries(ENTITY_TYPES.map((type) => [type, some[type] ?? 0])) as Record<EntityType, number>;

/** purge-trash's summary for the CLI (PURGE-2) reads right for one and for many. */
describe('describePurge', () => {
  it('counts one day, one entry and one referrer in the singular', () => {
    const summary: PurgeSummary = {
      counts: counts({ person: 1 }),
      total: 1,
      references: { total: 1, entries: [{ type: 'video', id: 'v1', title: 'Walk', removed: 1 }] },
    };
    expect(describePurge(summary, 1).split('\n')).toEqual([
      'In the trash for more than 1 day: 1 person (1 in all).',
      'References removed: 1, from 1 entry:',
      '  video "Walk" (1)',
    ]);
  });

  it('counts many in the plural, by the types’ plural labels', () => {
    const summary: PurgeSummary = {
      counts: counts({ person: 2, dog: 3 }),
      total: 5,
      references: { total: 0, entries: [] },
    };
    expect(describePurge(summary, 30).split('\n')[0]).toBe(
      'In the trash for more than 30 days: 2 people, 3 dogs (5 in all).',
    );
  });
});
