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

describe('entities: create and get', () => {
  it('creates an entry with a full envelope and reads it back', async () => {
    const person = (await core.call.entities.create({
      type: 'person',
      fields: { name: '  Ada Lovelace ' },
    })) as EntityDocument<'person'>;
    expect(person.name).toBe('Ada Lovelace');
    expect(person.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/);
    expect(person.rev).toBeTruthy();
    expect(person.createdBy).toEqual({ id: 'alice', name: 'Alice Admin' });
    expect(person.updatedAt).toBe(person.createdAt);
    expect(person.deletedAt).toBeNull();
    expect(await core.call.entities.get({ type: 'person', id: person.id })).toEqual(person);
  });

  it('refuses invalid fields with VALIDATION and a message per field', async () => {
    const error = await appErrorOf(
      core.call.entities.create({ type: 'video', fields: { title: '', youtubeId: 'short' } }),
    );
    expect(error.appCode).toBe('VALIDATION');
    expect(error.fieldErrors).toEqual(
      expect.arrayContaining([
        { field: 'title', message: 'Title is required.' },
        expect.objectContaining({ field: 'youtubeId', message: expect.stringContaining('exactly 11 characters') }),
      ]),
    );
  });

  it('gives NOT_FOUND with the type and id for an unknown entry', async () => {
    const error = await appErrorOf(core.call.entities.get({ type: 'dog', id: '01900000-0000-7000-8000-000000000000' }));
    expect(error.appCode).toBe('NOT_FOUND');
    expect(error.message).toContain('No dog with id 01900000-0000-7000-8000-000000000000 exists');
  });
});

describe('entities: update', () => {
  it('applies changes to the revision the caller saw, with a new rev and updatedAt', async () => {
    const dog = (await core.call.entities.create({
      type: 'dog',
      fields: { name: 'Rex', breed: 'Collie' },
    })) as EntityDocument<'dog'>;
    const updated = (await core.call.entities.update({
      type: 'dog',
      id: dog.id,
      rev: dog.rev,
      fields: { color: 'Brown', breed: null },
    })) as EntityDocument<'dog'>;
    expect(updated).toMatchObject({ name: 'Rex', color: 'Brown', createdAt: dog.createdAt });
    expect(updated.breed).toBeUndefined();
    expect(updated.rev).not.toBe(dog.rev);
  });

  it('refuses a stale revision with CONFLICT naming who changed it', async () => {
    const dog = (await core.call.entities.create({ type: 'dog', fields: { name: 'Rex' } })) as EntityDocument<'dog'>;
    await core.call.entities.update({ type: 'dog', id: dog.id, rev: dog.rev, fields: { color: 'Black' } });
    const error = await appErrorOf(
      core.call.entities.update({ type: 'dog', id: dog.id, rev: dog.rev, fields: { color: 'White' } }),
    );
    expect(error.appCode).toBe('CONFLICT');
    expect(error.message).toContain('was changed by Alice Admin');
    expect(((await core.call.entities.get({ type: 'dog', id: dog.id })) as EntityDocument<'dog'>).color).toBe('Black');
  });

  it('validates the merged result, including cross-field rules', async () => {
    const trip = (await core.call.entities.create({
      type: 'trip',
      fields: { name: 'Alps', startDate: '2025-06-10' },
    })) as EntityDocument<'trip'>;
    const error = await appErrorOf(
      core.call.entities.update({ type: 'trip', id: trip.id, rev: trip.rev, fields: { endDate: '2025-06-01' } }),
    );
    expect(error.appCode).toBe('VALIDATION');
    expect(error.fieldErrors).toEqual([{ field: 'endDate', message: 'End date cannot be before the start date.' }]);
  });
});

describe('entities: cross-document rules', () => {
  it('keeps names unique among live entries, ignoring case', async () => {
    await core.call.entities.create({ type: 'person', fields: { name: 'Grace Hopper' } });
    const error = await appErrorOf(core.call.entities.create({ type: 'person', fields: { name: 'grace HOPPER' } }));
    expect(error.appCode).toBe('VALIDATION');
    expect(error.fieldErrors).toEqual([
      { field: 'name', message: 'A person named "Grace Hopper" already exists. Pick another name or edit that entry.' },
    ]);
    // The message names the field by its label, as the form does, not by its key.
    expect(error.message).toBe(
      'This person is not valid. Name: A person named "Grace Hopper" already exists. Pick another name or edit that entry.',
    );
    // Another type may use the same name, and so may a name that only shares a prefix.
    await core.call.entities.create({ type: 'dog', fields: { name: 'Grace Hopper' } });
    await core.call.entities.create({ type: 'person', fields: { name: 'Grace Hopper Jr' } });
  });

  it('lets an entry keep its own name on update, and frees a name once the holder is trashed', async () => {
    const first = (await core.call.entities.create({
      type: 'series',
      fields: { name: 'Walks' },
    })) as EntityDocument<'series'>;
    await core.call.entities.update({ type: 'series', id: first.id, rev: first.rev, fields: { name: 'WALKS' } });
    await core.call.trash.trash({ items: [{ type: 'series', id: first.id }] });
    await expect(core.call.entities.create({ type: 'series', fields: { name: 'Walks' } })).resolves.toBeTruthy();
  });

  it('accepts references to live entries only, with a message per bad reference', async () => {
    const person = (await core.call.entities.create({
      type: 'person',
      fields: { name: 'Ann' },
    })) as EntityDocument<'person'>;
    const gone = (await core.call.entities.create({
      type: 'person',
      fields: { name: 'Bob' },
    })) as EntityDocument<'person'>;
    await core.call.trash.trash({ items: [{ type: 'person', id: gone.id }] });
    const missing = '01900000-0000-7000-8000-000000000001';
    const error = await appErrorOf(
      core.call.entities.create({
        type: 'video',
        fields: { title: 'Walk', people: [person.id, gone.id], tripId: missing },
      }),
    );
    expect(error.appCode).toBe('VALIDATION');
    expect(error.fieldErrors).toEqual([
      { field: 'people', message: 'The person "Bob" is in the trash; restore it first or remove it here.' },
      { field: 'tripId', message: `No trip with id ${missing} exists; pick one from the list.` },
    ]);
    expect(error.message).toBe(
      'This video is not valid. People: The person "Bob" is in the trash; restore it first or remove it here. ' +
        `Trip: No trip with id ${missing} exists; pick one from the list.`,
    );
    await expect(
      core.call.entities.create({ type: 'video', fields: { title: 'Walk', people: [person.id] } }),
    ).resolves.toBeTruthy();
  });
});
