import { describe, expect, it } from 'vitest';
import { contestedFields, toResolveChoices, typedValue } from '../../renderer/src/screens/conflicts/choices';

describe('conflict choices', () => {
  it('lists contested fields first, then other fields where the sides differ, never the envelope', () => {
    const record = {
      fields: ['breed'],
      local: { id: 'x', rev: 'a', name: 'Rex', breed: 'Poodle', color: 'red', aliases: ['R'] },
      server: { id: 'x', rev: 'b', name: 'Rex', breed: 'Beagle', color: 'brown', aliases: ['R'] },
    };
    expect(contestedFields(record)).toEqual(['breed', 'color']);
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
