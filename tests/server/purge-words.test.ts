import { describe, expect, it } from 'vitest';
import { ENTITY_TYPES, type EntityType } from '../../shared/entities';
import { describePurgeDone, describePurgePlan, type PurgePlan, type PurgeSummary } from '../../server/sync';

const counts = (some: Partial<Record<EntityType, number>>) =>
  Object.fromEntries(ENTITY_TYPES.map((type) => [type, some[type] ?? 0])) as Record<EntityType, number>;

const planOf = (summary: PurgeSummary, days: number): PurgePlan => ({ days, summary });

/** purge-trash's words for the CLI (PURGE-2): what it will delete, by name, and what it did. */
describe('purge-trash words', () => {
  it('count one day, one entry and one referrer in the singular', () => {
    const summary: PurgeSummary = {
      counts: counts({ person: 1 }),
      total: 1,
      entries: [{ type: 'person', id: 'p1', title: 'Ada' }],
      references: { total: 1, entries: [{ type: 'video', id: 'v1', title: 'Walk', removed: 1 }] },
    };
    expect(describePurgePlan(planOf(summary, 1)).split('\n')).toEqual([
      'To delete permanently, in the trash for more than 1 day: 1 person (1 in all):',
      '  person "Ada"',
      'Links to them to remove: 1, from 1 entry:',
      '  video "Walk" (1)',
    ]);
    expect(describePurgeDone(summary, planOf(summary, 1)).split('\n')).toEqual([
      'Deleted permanently: 1 person (1 in all).',
      'Removed 1 link to them from 1 entry.',
    ]);
  });

  it('count many in the plural, name twenty entries and count the rest', () => {
    const dogs = Array.from({ length: 23 }, (_, i) => ({ type: 'dog' as const, id: `d${i}`, title: `Dog ${i}` }));
    const summary: PurgeSummary = {
      counts: counts({ person: 2, dog: 23 }),
      total: 25,
      entries: [{ type: 'person', id: 'p1', title: 'Ada' }, { type: 'person', id: 'p2', title: 'Ben' }, ...dogs],
      references: { total: 0, entries: [] },
    };
    const lines = describePurgePlan(planOf(summary, 30)).split('\n');
    expect(lines[0]).toBe('To delete permanently, in the trash for more than 30 days: 2 people, 23 dogs (25 in all):');
    expect(lines.slice(1, 3)).toEqual(['  person "Ada"', '  person "Ben"']);
    expect(lines.slice(20)).toEqual(['  dog "Dog 17"', '  and 5 more entries', 'No other entry links to them.']);
  });

  it('say when there is nothing to delete, and which shown entries were kept', () => {
    const none: PurgeSummary = { counts: counts({}), total: 0, entries: [], references: { total: 0, entries: [] } };
    expect(describePurgePlan(planOf(none, 7))).toBe(
      'Nothing has been in the trash for more than 7 days: nothing to delete.',
    );
    const shown: PurgeSummary = {
      counts: counts({ dog: 2 }),
      total: 2,
      entries: [
        { type: 'dog', id: 'd1', title: 'Ida' },
        { type: 'dog', id: 'd2', title: 'Rex' },
      ],
      references: { total: 0, entries: [] },
    };
    const done: PurgeSummary = { ...shown, counts: counts({ dog: 1 }), total: 1, entries: [shown.entries[1]!] };
    expect(describePurgeDone(done, planOf(shown, 7)).split('\n')).toEqual([
      'Deleted permanently: 1 dog (1 in all).',
      '1 entry shown above was restored or moved to the trash again meanwhile, and kept.',
    ]);
  });
});
