import { describe, expect, it } from 'vitest';
import type { EntityType } from '../../shared/entities';
import { tellNamesakesApart, withNamesakeDetail, type NamesakeRow } from '../../shared/readable';

const day = (iso: string) => iso.slice(0, 10);
const eddie = { id: 'eddie', name: 'Eddie Editor' };
const ada = { id: 'ada', name: 'Ada Admin' };

function dog(id: string, name: string, fields: Record<string, unknown> = {}): NamesakeRow {
  const document = { createdAt: '2026-12-01T10:00:00.000Z', createdBy: ada, aliases: [], ...fields };
  return { type: 'dog', id, title: name, document };
}
const tell = (rows: NamesakeRow[], shown?: string[]) =>
  Object.fromEntries(tellNamesakesApart(rows, (row) => row, { formatDate: day, ...(shown ? { shown } : {}) }));

describe('namesake details: what tells same-named rows apart', () => {
  it('leaves rows with a name of their own alone, and the same entry twice is not a namesake', () => {
    expect(tell([dog('1', 'Rex'), dog('2', 'Max'), dog('2', 'Max')])).toEqual({});
  });

  it('names the most telling field that differs; case and spacing do not make a name different', () => {
    const rows = [dog('1', 'Rex', { breed: 'Collie' }), dog('2', ' rex', { breed: 'Husky' }), dog('3', 'Max')];
    expect(tell(rows)).toEqual({ '1': 'Breed: Collie', '2': 'Breed: Husky' });
  });

  it('says "no <field>" for an empty value, and cuts long text to one short line', () => {
    const long = 'A very long description of this video that goes on\nand on for a while';
    const video = (id: string, description?: string): NamesakeRow => ({
      type: 'video',
      id,
      title: 'Intro',
      document: { publishedAt: '2026-01-01', description },
    });
    expect(tell([video('1', long), video('2')])).toEqual({
      '1': 'Description: A very long description of this video…',
      '2': 'No description',
    });
  });

  it('takes fields until every row is apart (three dogs, two of one breed)', () => {
    const rows = [
      dog('1', 'Rex', { breed: 'Collie', color: 'Brown' }),
      dog('2', 'Rex', { breed: 'Collie', color: 'Black' }),
      dog('3', 'Rex', { breed: 'Husky', color: 'Black' }),
    ];
    expect(tell(rows)).toEqual({
      '1': 'Breed: Collie, Color: Brown',
      '2': 'Breed: Collie, Color: Black',
      '3': 'Breed: Husky, Color: Black',
    });
  });

  it('does not repeat a column the list shows: who added it when, instead', () => {
    const rows = [
      dog('1', 'Rex', { breed: 'Collie' }),
      dog('2', 'Rex', { breed: 'Husky', createdBy: eddie, createdAt: '2026-12-02T09:00:00.000Z' }),
    ];
    expect(tell(rows, ['name', 'breed', 'birthYear'])).toEqual({
      '1': 'Added by Ada Admin on 2026-12-01',
      '2': 'Added by Eddie Editor on 2026-12-02',
    });
  });

  it('ends with the end of the id when nothing else differs', () => {
    const people: NamesakeRow[] = ['0193a1b2-0000-7000-8000-00000000aaaa', '0193a1b2-0000-7000-8000-00000000bbbb'].map(
      (id) => ({
        type: 'person' as EntityType,
        id,
        title: 'Jane',
        document: { createdAt: '2026-12-01T10:00:00.000Z' },
      }),
    );
    expect(tell(people)).toEqual({
      [people[0]!.id]: 'Added on 2026-12-01, ID ending 00aaaa',
      [people[1]!.id]: 'Added on 2026-12-01, ID ending 00bbbb',
    });
  });

  it('compares within a type only, and gives the accessible name with the detail', () => {
    const person: NamesakeRow = { type: 'person', id: 'p', title: 'Rex', document: {} };
    expect(tell([dog('1', 'Rex'), person])).toEqual({});
    expect(withNamesakeDetail('Rex', 'Breed: Husky')).toBe('Rex (Breed: Husky)');
    expect(withNamesakeDetail('Rex', undefined)).toBe('Rex');
  });
});
