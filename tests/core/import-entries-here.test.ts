import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { EntityType } from '../../shared/entities';
import { appErrorOf, openTestCore, type TestCore } from './helpers';

/**
 * An exported file brought back: an import only adds entries, so a row that is an entry already here
 * (its id) is a bad row that says so, instead of a second copy beside the first while the change typed
 * into the file never reaches the entry. Before, such a video imported silently as a duplicate, and a
 * dog was refused as "A dog named "Rex" already exists", the entry it came from.
 */
let core: TestCore;
beforeEach(async () => {
  core = await openTestCore();
});
afterEach(async () => {
  await core.dispose();
});

async function exportedCsv(type: EntityType): Promise<string> {
  let filePath = '';
  for await (const event of await core.call.backup.exportEntities({ type, format: 'csv' }))
    if (event.type === 'done') filePath = event.filePath;
  return readFile(filePath, 'utf8');
}

const titles = async (type: EntityType) =>
  ((await core.call.entities.list({ type })).items as Record<string, unknown>[]).map((item) => item.title ?? item.name);

it('a row of an exported file that is an entry here is a bad row naming it, not a silent second copy', async () => {
  const swim = await core.call.entities.create({ type: 'video', fields: { title: 'Swim', description: 'Old' } });
  await core.call.entities.create({ type: 'video', fields: { title: 'Hike' } });
  const edited = (await exportedCsv('video')).replace('Old', 'New');

  const check = await core.call.backup.validateImport({ type: 'video', format: 'csv', content: edited });
  expect(check).toMatchObject({ rows: 2, goodRows: 0 });
  expect(check.errors.map((e) => e.field)).toEqual(['(row)', '(row)']);
  expect(check.errors.find((e) => e.message.includes('"Swim"'))!.message).toBe(
    'This row is the video "Swim", already here (its id is in the id column). An import only adds new videos; ' +
      'it does not change existing ones, so this row would add a second "Swim". To change "Swim", edit it in the ' +
      'library; to add the row as a new video, clear its id.',
  );
  const refused = await appErrorOf(core.call.backup.importEntities({ type: 'video', format: 'csv', content: edited }));
  expect(refused.message).toMatch(/^2 of 2 rows are not valid; nothing was imported/);
  expect((await titles('video')).sort()).toEqual(['Hike', 'Swim']);
  expect(await core.call.entities.get({ type: 'video', id: swim.id })).toMatchObject({ description: 'Old' });

  // The bad-rows file, its id cleared, adds the row as a new video.
  const bad = await core.call.backup.badRows({ type: 'video', format: 'csv', content: edited });
  const cleared = bad.content.replace(swim.id, '');
  const again = await core.call.backup.validateImport({ type: 'video', format: 'csv', content: cleared });
  expect(again).toMatchObject({ goodRows: 1 });
});

it('names an entry in the trash, and reports a unique name once, as the same entry', async () => {
  const rex = await core.call.entities.create({ type: 'dog', fields: { name: 'Rex', breed: 'Collie' } });
  const content = (await exportedCsv('dog')).replace('Collie', 'Border Collie');
  const live = await core.call.backup.validateImport({ type: 'dog', format: 'csv', content });
  expect(live.errors).toHaveLength(1);
  expect(live.errors[0]!.message).toMatch(/^This row is the dog "Rex", already here /);

  await core.call.trash.trash({ items: [{ type: 'dog', id: rex.id }] });
  const trashed = await core.call.backup.validateImport({ type: 'dog', format: 'csv', content });
  expect(trashed.errors).toHaveLength(1);
  expect(trashed.errors[0]!.message).toContain(
    'the dog "Rex", which is here in the trash (its id is in the id column). ' +
      'An import only adds new dogs; it does not change existing ones, so this row would add a second "Rex". ' +
      'To change "Rex", restore it from the Trash and edit it; to add the row as a new dog, clear its id.',
  );

  // JSON, as the app exports it: the same check.
  const json = JSON.stringify({
    format: 'curio-entities',
    version: 2,
    type: 'dog',
    items: [{ id: rex.id, name: 'Rex' }],
  });
  const fromJson = await core.call.backup.validateImport({ type: 'dog', format: 'json', content: json });
  expect(fromJson.errors).toEqual([expect.objectContaining({ line: 1, field: '(row)' })]);
});
