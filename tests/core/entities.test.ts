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
