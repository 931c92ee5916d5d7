import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appErrorOf, openTestCore, type TestCore } from './helpers';

let core: TestCore;
beforeEach(async () => {
  core = await openTestCore();
});
afterEach(async () => {
  await core.dispose();
});

describe('validation messages read as sentences', () => {
  it('says a settings change is not valid, in agreement, naming the field by its label', async () => {
    await expect(core.context.services.settings.update({ trashRetentionDays: 0 })).rejects.toThrow(
      'This settings change is not valid. Trash retention days: Trash retention must be at least 1 day.',
    );
    // Through the API the input schema answers first; it names the field by its label too, not its key.
    const refused = await appErrorOf(core.call.settings.update({ trashRetentionDays: 0 }));
    expect(refused.message).toBe(
      'The request is not valid. Trash retention days: Trash retention must be at least 1 day.',
    );
  });

  it('names a video field by the label its own error uses', async () => {
    const error = await appErrorOf(
      core.call.entities.create({ type: 'video', fields: { title: 'Walk', publishedAt: 'yesterday' } }),
    );
    expect(error.message).toBe(
      'This video is not valid. Published date: Published date must be a date written as YYYY-MM-DD.',
    );
  });
});
