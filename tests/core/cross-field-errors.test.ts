import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appErrorOf, openTestCore, type TestCore } from './helpers';

let core: TestCore;
beforeEach(async () => {
  core = await openTestCore();
});
afterEach(async () => {
  await core.dispose();
});

describe('entities: cross-field rules alongside field errors', () => {
  // The form leaves an emptied field out, so the name is missing rather than ''.
  it.each<{ name?: string }>([{}, { name: '' }])(
    'names an empty name and an end before the start together (%o)',
    async (name) => {
      const error = await appErrorOf(
        core.call.entities.create({
          type: 'trip',
          // The API's type wants a name; the point is to send none.
          fields: { ...name, startDate: '2025-06-10', endDate: '2025-06-01' } as { name: string },
        }),
      );
      expect(error.appCode).toBe('VALIDATION');
      expect(error.fieldErrors).toEqual([
        { field: 'name', message: 'Name is required.' },
        { field: 'endDate', message: 'End date cannot be before the start date.' },
      ]);
      expect(error.message).toBe(
        'This trip is not valid. Name: Name is required. End date: End date cannot be before the start date.',
      );
    },
  );

  it('leaves the rule out while a date it compares is itself invalid', async () => {
    const error = await appErrorOf(
      core.call.entities.create({
        type: 'trip',
        fields: { name: '', startDate: '2025-02-30', endDate: '2025-01-01' },
      }),
    );
    expect(error.fieldErrors).toEqual([
      { field: 'name', message: 'Name is required.' },
      { field: 'startDate', message: 'Start date is not a real calendar date.' },
    ]);
  });
});
