import { alertSourceOf } from '../../main/electron/desktop-alerts-wiring';
import { expect, test } from './fixtures';

test('each desktop notification and the badge can be switched off in Settings', async ({ page, app }) => {
  await page.goto(app.url);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
  const group = page.getByRole('group', { name: 'Desktop notifications' });
  const switches = {
    notifyConflicts: group.getByRole('checkbox', { name: /new sync conflicts/ }),
    notifySyncPaused: group.getByRole('checkbox', { name: /not been sent for a few minutes/ }),
    conflictBadge: group.getByRole('checkbox', { name: /open conflicts on the app icon/ }),
  };
  for (const [key, box] of Object.entries(switches)) {
    await expect(box).toBeChecked();
    await box.uncheck();
    await expect(box).not.toBeChecked();
    // What the desktop app's notifications read (main/electron/desktop-alerts-wiring.ts).
    await expect.poll(() => alertSourceOf(app.core.context).settings()[key as keyof typeof switches]).toBe(false);
  }
  await page.reload();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
  for (const box of Object.values(switches)) await expect(box).not.toBeChecked();
});
