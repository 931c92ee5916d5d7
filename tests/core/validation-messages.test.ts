import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import { parseOrThrow } from '../../shared/validation';
import { appErrorOf, TestClock, useCorePerTest } from './helpers';

const clock = new TestClock('2026-03-01T10:00:00.000Z');
const core = useCorePerTest(clock);

describe('a refused entry names its fields by label (parseOrThrow)', () => {
  it('says which field is wrong as the form labels it, links by the type they link to; field errors keep keys', async () => {
    const error = await appErrorOf(
      core.call.entities.create({
        type: 'video',
        fields: { title: 'Walk', youtubeId: 'short', tripId: 'x', publishedAt: '2024-02-30' },
      }),
    );
    expect(error.appCode).toBe('VALIDATION');
    expect(error.message).toBe(
      'This video is not valid. YouTube id: YouTube id must be exactly 11 characters of letters, digits, "-" or "_" ' +
        '(e.g. dQw4w9WgXcQ). Published date: Published date is not a real calendar date. Trip: Must be a valid id.',
    );
    expect(error.fieldErrors?.map((e) => e.field)).toEqual(['youtubeId', 'publishedAt', 'tripId']);
  });

  it('names an item of a list by its place, on an update too', async () => {
    const dog = await core.call.entities.create({ type: 'dog', fields: { name: 'Rex' } });
    const error = await appErrorOf(
      core.call.entities.update({ type: 'dog', id: dog.id, rev: dog.rev, fields: { aliases: ['Rexy', ' '] } }),
    );
    expect(error.message).toBe('This dog is not valid. Aliases, item 2: An alias cannot be empty.');
    expect(error.fieldErrors).toEqual([{ field: 'aliases.1', message: 'An alias cannot be empty.' }]);
  });

  it('words other shapes from their keys, and a problem with the whole input without a field', () => {
    const schema = z.strictObject({ displayName: z.string({ error: 'Give a display name.' }) });
    const refused = (value: unknown) => {
      try {
        parseOrThrow(schema, value, 'The new user');
      } catch (error) {
        expect(error).toBeInstanceOf(AppError);
        return (error as AppError).message;
      }
      throw new Error('Expected the value to be refused.');
    };
    expect(refused({})).toBe('The new user is not valid. Display name: Give a display name.');
    expect(refused({ displayName: 'Ann', role: 'x' })).toBe('The new user is not valid. Unknown field: role.');
  });
});
