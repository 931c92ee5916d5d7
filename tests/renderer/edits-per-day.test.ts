import { describe, expect, it } from 'vitest';
import { editsPerDay } from '../../renderer/src/lib/edits-per-day';
import { readableChanges } from '../../renderer/src/forms/field-diff';

describe('edits per day for the home chart', () => {
  const now = new Date('2026-03-10T15:00:00Z');
  const entry = (at: string, name: string) => ({ at, actor: { name } });

  it('buckets entries by UTC day and actor over the last 90 days, ignoring older ones', () => {
    const data = editsPerDay(
      [
        entry('2026-03-10T01:00:00Z', 'Ann'),
        entry('2026-03-10T23:59:00Z', 'Ann'),
        entry('2026-03-09T12:00:00Z', 'Bob'),
        entry('2025-12-10T12:00:00Z', 'Bob'),
        entry('2025-12-11T12:00:00Z', 'Cy'),
      ],
      now,
    );
    expect(data.days).toHaveLength(90);
    expect(data.days[0]).toBe('2025-12-11');
    expect(data.days[89]).toBe('2026-03-10');
    expect(data.series.map((s) => [s.actor, s.total])).toEqual([
      ['Ann', 2],
      ['Bob', 1],
      ['Cy', 1],
    ]);
    expect(data.series[0]!.counts[89]).toBe(2);
    expect(data.max).toBe(2);
  });
});

describe('readable field diffs', () => {
  it('writes values in words and skips unchanged ones', () => {
    expect(
      readableChanges('dog', [
        { field: 'name', from: 'Rex', to: 'Rexy' },
        { field: 'aliases', from: [], to: ['R', 'X'] },
        { field: 'photoVisible', from: true, to: false },
        { field: 'bio', from: undefined, to: '' },
      ]),
    ).toEqual([
      { field: 'name', label: 'Name', from: 'Rex', to: 'Rexy' },
      { field: 'aliases', label: 'Aliases', from: '—', to: 'R, X' },
      { field: 'photoVisible', label: 'Photo visible', from: 'yes', to: 'no' },
    ]);
  });
});
