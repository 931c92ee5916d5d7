import { describe, expect, it } from 'vitest';
import { counted, countedEntries, oneOrMany, rowErrorField } from '../../shared/readable';

describe('counted', () => {
  it('says one and many right, with a plural that does not just add an s', () => {
    expect(counted(1, 'row')).toBe('1 row');
    expect(counted(0, 'row')).toBe('0 rows');
    expect(counted(3, 'audit entry', 'audit entries')).toBe('3 audit entries');
    expect(counted(1200, 'row')).toBe((1200).toLocaleString() + ' rows');
    expect(oneOrMany(1, 'is', 'are')).toBe('is');
    expect(oneOrMany(2, 'it', 'them')).toBe('them');
  });

  it('counts entries of a type by its labels', () => {
    expect(countedEntries('person', 1)).toBe('1 person');
    expect(countedEntries('person', 2)).toBe('2 people');
    expect(countedEntries('series', 3)).toBe('3 series');
    expect(countedEntries('video', 1)).toBe('1 video');
  });
});

describe('rowErrorField', () => {
  it('names an import row error by the field label, with the column as the file writes it', () => {
    expect(rowErrorField('dog', 'birthYear')).toEqual({ label: 'Birth year', column: 'birthYear' });
    expect(rowErrorField('dog', 'aliases.1')).toEqual({ label: 'Aliases, item 2', column: 'aliases' });
    expect(rowErrorField('video', 'trip')).toEqual({ label: 'Trip', column: 'trip' });
    expect(rowErrorField('video', 'personIds')).toEqual({ label: 'People', column: 'personIds' });
    expect(rowErrorField('video', '(row)')).toEqual({ label: 'Whole row', column: null });
  });
});
