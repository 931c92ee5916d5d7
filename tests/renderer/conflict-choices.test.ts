import { describe, expect, it } from 'vitest';
import {
  contestedFields,
  mergedByItself,
  toResolveChoices,
  typedValue,
} from '../../renderer/src/screens/conflicts/choices';

describe('conflict choices', () => {
  it('offers only the contested fields; one-sided changes are listed as merged by themselves', () => {
    const record = {
      fields: ['breed'],
      base: { id: 'x', rev: 'o', name: 'Rex', breed: 'Collie', color: null, aliases: ['R'] },
      local: { id: 'x', rev: 'a', name: 'Rex', breed: 'Poodle', color: 'Brown', aliases: ['R'] },
      server: { id: 'x', rev: 'b', name: 'Rex', breed: 'Beagle', aliases: ['R'], birthYear: 2019 },
    };
    expect(contestedFields(record)).toEqual(['breed']);
    expect(mergedByItself(record)).toEqual([
      { field: 'color', by: 'local' },
      { field: 'birthYear', by: 'server' },
    ]);
  });

  it('turns typed text into the field type', () => {
    expect(typedValue('integer', ' 2019 ')).toBe(2019);
    expect(typedValue('integer', 'soon')).toBe('soon');
    expect(typedValue('chips', 'A, B ,,C')).toEqual(['A', 'B', 'C']);
    expect(typedValue('boolean', 'yes')).toBe(true);
    expect(typedValue('text', '  ')).toBeNull();
  });

  it('sends only the fields the admin changed from the current value', () => {
    expect(
      toResolveChoices(
        {
          breed: { source: 'value', text: 'Mix' },
          color: { source: 'local', text: '' },
          name: { source: 'merged', text: '' },
          birthYear: { source: 'value', text: '2018' },
        },
        { breed: 'text', color: 'text', name: 'text', birthYear: 'integer' },
      ),
    ).toEqual({
      breed: { source: 'value', value: 'Mix' },
      color: { source: 'local' },
      birthYear: { source: 'value', value: 2018 },
    });
  });
});
