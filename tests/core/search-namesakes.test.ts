import { v7 as uuidv7 } from 'uuid';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { EntityDocument } from '../../shared/entities';
import { tellNamesakesApart } from '../../shared/readable';
import { openTestCore, type TestCore } from './helpers';

let core: TestCore;
beforeEach(async () => {
  core = await openTestCore();
});
afterEach(async () => {
  await core.dispose();
});

it('a search answer carries what tells same-named hits apart, on those hits only', async () => {
  const rex = (await core.call.entities.create({
    type: 'dog',
    fields: { name: 'Rex', breed: 'Collie' },
  })) as EntityDocument<'dog'>;
  await core.call.entities.create({ type: 'dog', fields: { name: 'Rexa', breed: 'Pug' } });
  await core.call.entities.create({ type: 'person', fields: { name: 'Rex' } });
  // Another device's Rex, written as a sync pull writes it (no uniqueness check on a pull).
  const bob = { id: 'bob', name: 'Bob' };
  const theirs = uuidv7();
  await core.context.database.entities.dog.insert({
    ...rex,
    id: theirs,
    rev: uuidv7(),
    name: 'rex',
    breed: 'Husky',
    createdBy: bob,
    updatedBy: bob,
  } as never);

  const hits = await core.call.entities.search({ query: 'rex' });
  const withFacts = hits.filter((hit) => hit.facts).map((hit) => [hit.id, hit.facts?.breed]);
  expect(withFacts.sort()).toEqual(
    [
      [rex.id, 'Collie'],
      [theirs, 'Husky'],
    ].sort(),
  );
  // The person "Rex" is of another type and "Rexa" has a name of its own: nothing read for them.
  expect(
    hits
      .filter((hit) => !hit.facts)
      .map((hit) => hit.title)
      .sort(),
  ).toEqual(['Rex', 'Rexa']);
  const details = tellNamesakesApart(hits, (hit) => ({ ...hit, document: hit.facts }));
  expect(Object.fromEntries(details)).toEqual({ [rex.id]: 'Breed: Collie', [theirs]: 'Breed: Husky' });
});
