import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appErrorOf, openTestCore, type TestCore } from './helpers';

let core: TestCore;
beforeEach(async () => {
  core = await openTestCore();
});
afterEach(async () => {
  await core.dispose();
});

/** Two windows of one profile save settings; a save names what it started from (SettingsForm). */
describe('a settings change that names what it started from', () => {
  it('is refused, saving nothing, where that setting was saved as something else meanwhile', async () => {
    await core.call.settings.update({ trashRetentionDays: 7 }); // the other window
    const refused = await appErrorOf(
      core.call.settings.update({
        profileName: 'Front desk',
        trashRetentionDays: 14,
        from: { profileName: null, trashRetentionDays: 30 },
      }),
    );
    expect(refused).toMatchObject({ appCode: 'CONFLICT' });
    expect(refused.message).toBe(
      'Trash retention was saved as 7 days in another window while you were editing, so nothing was saved. The form shows it now; save again to replace it.',
    );
    expect(refused.fieldErrors).toEqual([
      {
        field: 'trashRetentionDays',
        message: 'Saved as 7 days in another window meanwhile; save again to replace it with yours.',
      },
    ]);
    expect(await core.call.settings.get()).toMatchObject({ profileName: null, trashRetentionDays: 7 });

    // Started from what is saved now: it applies.
    await core.call.settings.update({
      profileName: 'Front desk',
      trashRetentionDays: 14,
      from: { profileName: null, trashRetentionDays: 7 },
    });
    expect(await core.call.settings.get()).toMatchObject({ profileName: 'Front desk', trashRetentionDays: 14 });
  });

  it('applies where only other settings moved, or the setting already holds the value asked for', async () => {
    await core.call.settings.update({ trashRetentionDays: 7 });
    await core.call.settings.update({ profileName: 'Front desk', from: { profileName: null } });
    await core.call.settings.update({ trashRetentionDays: 7, from: { trashRetentionDays: 30 } });
    expect(await core.call.settings.get()).toMatchObject({ profileName: 'Front desk', trashRetentionDays: 7 });
  });
});
