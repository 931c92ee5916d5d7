/**
 * The password fields of the sign-in form (AUTH-6): the strength estimator's dictionaries (about 1.5 MB)
 * are fetched only when a new password is typed, and its advice is the server's policy, emoji included.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { syncBadge } from './sync-fixtures';

/** Scripts of this page over 1 MB (the dictionary chunk is 1.2 MB; the app's own chunks are far smaller). */
const largeScripts = (page: Page) =>
  page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      // toJSON: a resource entry's fields without the DOM's types (this file compiles with Node's).
      .map((entry) => entry.toJSON() as { name: string; decodedBodySize: number })
      .filter((entry) => entry.name.endsWith('.js') && entry.decodedBodySize > 1e6)
      .map((entry) => entry.name),
  );

test('AUTH-6: the estimator loads with the first new password; ten emoji are refused with advice', async ({
  page,
  app,
}) => {
  await page.goto(app.url);
  await syncBadge(page).click();
  const form = page.getByRole('form', { name: 'Sign in to a sync server' });
  await form.getByLabel('Password').fill('not-checked-here-1');
  await expect(form.getByText(/Password strength/)).toHaveCount(0);
  expect(await largeScripts(page)).toEqual([]);

  await form.getByLabel('I have a setup code from an admin').check();
  const choose = form.getByLabel('Choose a password');
  await choose.fill('😀😃😄😁😆😅😂🤣🥲🥹');
  await expect(form.getByText(/Password strength: .*Emoji and symbols alone .*add a few uncommon words/)).toBeVisible();
  expect(await largeScripts(page)).toHaveLength(1);
  await choose.fill('copper-meadow-violin-58');
  await expect(form.getByText('Password strength: Strong enough.')).toBeVisible();
});
