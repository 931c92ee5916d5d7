import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
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

async function drain<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const events: T[] = [];
  for await (const event of iterable) events.push(event);
  return events;
}

describe('import and export of one type', () => {
  it('round-trips dogs through CSV: lists, numbers and booleans included', async () => {
    await core.call.entities.create({
      type: 'dog',
      fields: { name: 'Rex', birthYear: 2019, aliases: ['Rexy', 'Mr R'], photoVisible: false },
    });
    const events = await drain(await core.call.backup.exportEntities({ type: 'dog', format: 'csv' }));
    const done = events.at(-1) as { type: 'done'; filePath: string; rows: number };
    expect(done.rows).toBe(1);
    const csv = await readFile(done.filePath, 'utf8');
    expect(csv.split('\r\n')[0]).toBe('id,name,breed,color,birthYear,aliases,photoUrl,photoFile,photoVisible');

    const other = await openTestCore();
    try {
      const result = await other.call.backup.importEntities({ type: 'dog', format: 'csv', filePath: done.filePath });
      expect(result).toMatchObject({ imported: 1 });
      const [dog] = (await other.call.entities.list({ type: 'dog' })).items as EntityDocument<'dog'>[];
      expect(dog).toMatchObject({ name: 'Rex', birthYear: 2019, aliases: ['Rexy', 'Mr R'], photoVisible: false });
      const [entry] = (await other.call.audit.query({ entityId: dog!.id })).items;
      expect(entry!.action).toBe('import');
    } finally {
      await other.dispose();
    }
  });

  it('reports every bad row by line and field and imports nothing', async () => {
    await core.call.entities.create({ type: 'dog', fields: { name: 'Taken' } });
    const csv = [
      'name,birthYear,color',
      'Good,2020,Brown',
      ',2020,',
      'Bad year,soon,',
      'taken,,',
      'Twice,,',
      'twice,,',
    ].join('\n');
    const check = await core.call.backup.validateImport({ type: 'dog', format: 'csv', content: csv });
    expect(check.rows).toBe(6);
    expect(check.errors).toEqual([
      { line: 3, field: 'name', message: 'Name is required.' },
      { line: 4, field: 'birthYear', message: 'Birth year must be a number.' },
      {
        line: 5,
        field: 'name',
        message: 'A dog named "Taken" already exists. Pick another name or edit that entry.',
      },
      { line: 7, field: 'name', message: '"twice" is already used on line 6 of this file.' },
    ]);
    expect(check.preview.map((row) => row.name)).toEqual(['Good', 'Twice']);

    const error = await appErrorOf(core.call.backup.importEntities({ type: 'dog', format: 'csv', content: csv }));
    expect(error.appCode).toBe('VALIDATION');
    expect(error.message).toContain('4 of 6 rows are not valid; nothing was imported. Fix them,');
    expect(error.message).toContain('Line 3, Name: Name is required. Line 4, Birth year: Birth year must be a number.');
    expect(error.fieldErrors).toContainEqual({ field: 'line 4: birthYear', message: 'Birth year must be a number.' });
    expect((await core.call.entities.counts()).dog.live).toBe(1);
  });

  it('refuses a file with one bad row in words for one, naming fields by label', async () => {
    const csv = ['title,trip,aliases', 'Fine,,', 'Lost,Nowhere,'].join('\n');
    const error = await appErrorOf(core.call.backup.importEntities({ type: 'video', format: 'csv', content: csv }));
    expect(error.appCode).toBe('VALIDATION');
    expect(error.message).toBe(
      '1 of 2 rows is not valid; nothing was imported. Fix it, or import only the good rows, and try again. ' +
        'Line 3, Trip: No trip named "Nowhere" exists; check the spelling, or add the trip first.',
    );
    const one = await appErrorOf(
      core.call.backup.importEntities({ type: 'dog', format: 'csv', content: 'name,breed\n,Beagle' }),
    );
    expect(one.message).toMatch(/^1 of 1 row is not valid; nothing was imported\. Fix it, .* Line 2, Name: /);
    const many = ['name,birthYear', ...Array.from({ length: 11 }, (_, i) => `Dog ${i},soon`)].join('\n');
    const eleven = await appErrorOf(core.call.backup.importEntities({ type: 'dog', format: 'csv', content: many }));
    expect(eleven.message).toMatch(
      /^11 of 11 rows are not valid; .* Line 11, Birth year: Birth year must be a number\. …and 1 more problem\.$/,
    );
    expect((await core.call.entities.counts()).dog.live).toBe(0);
  });

  it('lists unknown columns as ignored with a warning, and refuses files that are not what they claim with BAD_FILE', async () => {
    const check = await core.call.backup.validateImport({
      type: 'series',
      format: 'csv',
      content: 'name,colour\nA,red',
    });
    expect(check).toMatchObject({ rows: 1, goodRows: 1, errors: [], ignoredColumns: ['colour'] });
    expect(check.warnings).toEqual([
      'Column "colour" is not a series field and is ignored. Series have: name, description.',
    ]);
    expect(check.preview).toEqual([{ name: 'A' }]);
    const notJson = await appErrorOf(
      core.call.backup.importEntities({ type: 'series', format: 'json', content: '{oops' }),
    );
    expect(notJson).toMatchObject({ appCode: 'BAD_FILE', message: expect.stringContaining('This is not a JSON file') });
    const wrongType = await appErrorOf(
      core.call.backup.importEntities({
        type: 'series',
        format: 'json',
        content: JSON.stringify({ format: 'curio-entities', version: 1, type: 'dog', items: [] }),
      }),
    );
    expect(wrongType).toMatchObject({ appCode: 'BAD_FILE', message: expect.stringContaining('holds dog entries') });
  });

  it('imports JSON, checking references, with item numbers for bad items', async () => {
    const person = await core.call.entities.create({ type: 'person', fields: { name: 'Ann' } });
    const missing = '01900000-0000-7000-8000-000000000009';
    const items = [{ title: 'Ok', people: [person.id] }, { title: 'Dangling', people: [missing] }, 'nonsense'];
    const check = await core.call.backup.validateImport({
      type: 'video',
      format: 'json',
      content: JSON.stringify(items),
    });
    expect(check.errors).toEqual([
      { line: 2, field: 'people', message: `No person with id ${missing} exists; pick one from the list.` },
      { line: 3, field: '(row)', message: 'Each item must be an object of fields.' },
    ]);
    const refused = await appErrorOf(
      core.call.backup.importEntities({ type: 'video', format: 'json', content: JSON.stringify(items) }),
    );
    expect(refused.message).toContain(
      `2 of 3 rows are not valid; nothing was imported. Fix them, or import only the good rows, and try again. Line 2, People: No person with id ${missing} exists; pick one from the list. Line 3, Whole row: Each item must be an object of fields.`,
    );
    const path = join(core.dataDir, 'videos.json');
    await writeFile(path, JSON.stringify([items[0]]));
    expect(await core.call.backup.importEntities({ type: 'video', format: 'json', filePath: path })).toMatchObject({
      imported: 1,
    });
  });
});
