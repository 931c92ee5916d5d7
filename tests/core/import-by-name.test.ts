import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EntityDocument } from '../../shared/entities';
import { appErrorOf, openTestCore, type TestCore } from './helpers';

let core: TestCore;
beforeEach(async () => {
  core = await openTestCore();
});
afterEach(async () => {
  await core.dispose();
});

async function create(type: 'person' | 'dog' | 'trip' | 'series', fields: Record<string, unknown>) {
  return (await core.call.entities.create({ type, fields } as never)) as EntityDocument & { id: string };
}

const videos = async () => (await core.call.entities.list({ type: 'video' })).items as EntityDocument<'video'>[];

describe('CSV import links by name', () => {
  it('matches people, dogs and trips by name ignoring case, or by id, among live entries', async () => {
    const ann = await create('person', { name: 'Ann Lee' });
    const bob = await create('person', { name: 'Bob Stone' });
    const rex = await create('dog', { name: 'Rex' });
    const iceland = await create('trip', { name: 'Iceland 2025' });
    const csv = [
      'title,people,dogs,trip,tripId',
      `Swim,ann lee; BOB STONE,rex,iceland 2025,`,
      `By id,${ann.id},,,${iceland.id}`,
      `Both agree,Ann Lee,,Iceland 2025,${iceland.id}`,
    ].join('\n');
    const check = await core.call.backup.validateImport({ type: 'video', format: 'csv', content: csv });
    expect(check).toMatchObject({ rows: 3, goodRows: 3, errors: [] });
    // The preview names what each name was matched to.
    expect(check.titles).toMatchObject({ [ann.id]: 'Ann Lee', [bob.id]: 'Bob Stone', [iceland.id]: 'Iceland 2025' });
    await core.call.backup.importEntities({ type: 'video', format: 'csv', content: csv });
    const byTitle = Object.fromEntries((await videos()).map((v) => [v.title, v]));
    expect(byTitle.Swim).toMatchObject({ people: [ann.id, bob.id], dogs: [rex.id], tripId: iceland.id });
    expect(byTitle['By id']).toMatchObject({ people: [ann.id], tripId: iceland.id });
    expect(byTitle['Both agree']).toMatchObject({ people: [ann.id], tripId: iceland.id });
  });

  it('gives a row error for an unknown name, an ambiguous one, a trashed one and names that contradict ids', async () => {
    await create('person', { name: 'Ann Lee' });
    const gone = await create('person', { name: 'Gone Person' });
    await core.call.trash.trash({ items: [{ type: 'person', id: gone.id }] });
    const alps1 = await create('trip', { name: 'Alps' });
    await create('trip', { name: 'alps' });
    await create('trip', { name: 'Norway' });
    const csv = [
      'title,people,trip,tripId',
      'Unknown,Ann Lee; Nobody,,',
      'Ambiguous,,ALPS,',
      'Trashed,gone person,,',
      `Contradicts,,Norway,${alps1.id}`,
      `Resolved by id,,,${alps1.id}`,
    ].join('\n');
    const check = await core.call.backup.validateImport({ type: 'video', format: 'csv', content: csv });
    expect(check.goodRows).toBe(1);
    expect(check.errors).toEqual([
      {
        line: 2,
        field: 'people',
        message: 'No person named "Nobody" exists; check the spelling, or add the person first.',
      },
      { line: 3, field: 'trip', message: '2 trips are named "ALPS"; give the id in tripId instead.' },
      {
        line: 4,
        field: 'people',
        message: 'No person named "gone person" exists; check the spelling, or add the person first.',
      },
      { line: 5, field: 'trip', message: 'trip and tripId name different entries; clear one of the two columns.' },
    ]);
    expect(check.preview).toEqual([expect.objectContaining({ title: 'Resolved by id', tripId: alps1.id })]);
  });
});

describe('partial import', () => {
  const csv = [
    'name,breed,birthYear,colour',
    'Rex,Collie,2019,red',
    ',Beagle,2020,',
    'Bello,,soon,',
    'Fido,Poodle,,',
  ].join('\n');

  it('imports the good rows when asked, and refuses the whole file otherwise', async () => {
    const refused = await appErrorOf(core.call.backup.importEntities({ type: 'dog', format: 'csv', content: csv }));
    expect(refused.message).toContain('2 of 4 rows are not valid; nothing was imported.');
    expect((await core.call.entities.counts()).dog.live).toBe(0);

    const result = await core.call.backup.importEntities({
      type: 'dog',
      format: 'csv',
      content: csv,
      skipBadRows: true,
    });
    expect(result).toMatchObject({ imported: 2, skipped: 2, snapshot: { reason: 'before-import' } });
    const names = (await core.call.entities.list({ type: 'dog' })).items.map((d) => (d as { name: string }).name);
    expect(names.sort()).toEqual(['Fido', 'Rex']);
  });

  it('gives the bad rows as written, with an error column, and a fixed file imports as it is', async () => {
    const bad = await core.call.backup.badRows({ type: 'dog', format: 'csv', content: csv });
    expect(bad).toMatchObject({ fileName: 'dogs-bad-rows.csv', rows: 2 });
    const parsed = Papa.parse<Record<string, string>>(bad.content, { header: true, skipEmptyLines: true });
    expect(parsed.meta.fields).toEqual(['name', 'breed', 'birthYear', 'colour', 'error']);
    expect(parsed.data).toEqual([
      { name: '', breed: 'Beagle', birthYear: '2020', colour: '', error: 'Name: Name is required.' },
      { name: 'Bello', breed: '', birthYear: 'soon', colour: '', error: 'Birth year: Birth year must be a number.' },
    ]);

    const fixed = Papa.unparse(
      parsed.data.map((row, i) => ({
        ...row,
        name: row.name || 'Biscuit',
        birthYear: i === 1 ? '2018' : row.birthYear,
      })),
    );
    const check = await core.call.backup.validateImport({ type: 'dog', format: 'csv', content: fixed });
    expect(check).toMatchObject({ rows: 2, goodRows: 2, errors: [], ignoredColumns: ['colour'] });
    expect(await core.call.backup.importEntities({ type: 'dog', format: 'csv', content: fixed })).toMatchObject({
      imported: 2,
    });
  });

  it('reports progress while it imports, then the counts', async () => {
    const rows = ['name', ...Array.from({ length: 120 }, (_, i) => `Dog ${i}`), ''].join('\n');
    const events = [];
    for await (const event of await core.call.backup.importWithProgress({ type: 'dog', format: 'csv', content: rows }))
      events.push(event);
    expect(events[0]).toEqual({ type: 'progress', done: 0, total: 120 });
    expect(events).toContainEqual({ type: 'progress', done: 120, total: 120 });
    expect(events.at(-1)).toMatchObject({ type: 'done', imported: 120, skipped: 0, snapshotId: expect.any(String) });
  });
});

describe('import templates', () => {
  it('offers a header and one example row per type, and every column with its rule', async () => {
    const video = await core.call.backup.importTemplate({ type: 'video' });
    const parsed = Papa.parse<Record<string, string>>(video.content, { header: true, skipEmptyLines: true });
    expect(parsed.meta.fields).toEqual([
      'title',
      'youtubeId',
      'description',
      'duration',
      'publishedAt',
      'people',
      'personIds',
      'dogs',
      'dogIds',
      'trip',
      'tripId',
      'series',
      'seriesId',
      'episode',
    ]);
    expect(parsed.data).toHaveLength(1);
    expect(parsed.data[0]!.title).not.toBe('');
    expect(parsed.data[0]!.personIds).toBe('');
    const rules = Object.fromEntries(video.columns.map((c) => [c.column, c]));
    expect(rules.title).toMatchObject({ label: 'Title', required: true });
    expect(rules.people).toMatchObject({ label: 'People', required: false });
    expect(rules.people!.rule).toContain('Names of people, separated by ";"');
    expect(rules.tripId).toMatchObject({ label: 'Trip (ids)' });
    expect(rules.publishedAt!.rule).toBe('Published date must be a date written as YYYY-MM-DD.');
    expect(rules.duration!.rule).toContain('HH:MM:SS or MM:SS');
    expect(rules.episode!.rule).toBe('A whole number, 1 or more.');
  });

  it('gives templates that import as they are where they name no links', async () => {
    for (const type of ['person', 'dog', 'trip', 'series'] as const) {
      const template = await core.call.backup.importTemplate({ type });
      const check = await core.call.backup.validateImport({ type, format: 'csv', content: template.content });
      expect({ type, ...check }).toMatchObject({ type, rows: 1, goodRows: 1, errors: [], ignoredColumns: [] });
    }
  });
});
