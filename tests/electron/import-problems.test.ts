import { describe, expect, it } from 'vitest';
import { importProblems } from '../../main/electron/menu-actions';

/** The import dialog's words for a file with bad rows, built without a dialog (Electron cannot run here). */
describe('importProblems', () => {
  it('names fields by label, items by number, a whole row as such, and counts one and many', () => {
    expect(
      importProblems('video', [
        { line: 3, field: 'title', message: 'Title is required.' },
        { line: 4, field: 'tripId', message: 'No trip with that id exists.' },
        { line: 5, field: 'personIds', message: 'No person with that id exists.' },
      ]),
    ).toEqual({
      message: 'Nothing was imported: 3 problems in the file.',
      detail: [
        'Line 3, Title: Title is required.',
        'Line 4, Trip: No trip with that id exists.',
        'Line 5, People: No person with that id exists.',
      ].join('\n'),
    });
    expect(importProblems('dog', [{ line: 2, field: 'aliases.1', message: 'Too long.' }])).toEqual({
      message: 'Nothing was imported: 1 problem in the file.',
      detail: 'Line 2, Aliases, item 2: Too long.',
    });
    expect(
      importProblems('dog', [{ line: 2, field: '(row)', message: 'Each item must be an object of fields.' }]).detail,
    ).toBe('Line 2, Whole row: Each item must be an object of fields.');
  });

  it('lists twelve problems and counts the rest in words', () => {
    const errors = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        line: i + 2,
        field: 'birthYear',
        message: 'Birth year must be a number.',
      }));
    expect(importProblems('dog', errors(13)).detail.split('\n').slice(-2)).toEqual([
      'Line 13, Birth year: Birth year must be a number.',
      '…and 1 more problem (File ▸ Import in the app lists them all).',
    ]);
    expect(importProblems('dog', errors(14)).detail.split('\n').at(-1)).toBe(
      '…and 2 more problems (File ▸ Import in the app lists them all).',
    );
  });
});
