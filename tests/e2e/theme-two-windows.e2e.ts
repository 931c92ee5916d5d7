import { expect, openLibrary, openScreen, test } from './fixtures';

/**
 * Two windows of one profile (two tabs in browser mode): the theme chosen in one is the theme of the other
 * at once, whatever screen it shows, and the other's Settings shows the choice.
 */
test('a theme chosen in one window applies in the other window of the profile', async ({ app, browser }) => {
  const context = await browser.newContext({ colorScheme: 'light' });
  const [first, second] = [await context.newPage(), await context.newPage()];
  await first.goto(app.url);
  await openScreen(first, 'Settings');
  await second.goto(app.url);
  await openLibrary(second, 'Dogs');
  const theme = (page: typeof first) => page.locator('html');
  await expect(theme(second)).toHaveAttribute('data-theme', 'light');

  await first.getByRole('radio', { name: 'Dark' }).check();
  await expect(theme(first)).toHaveAttribute('data-theme', 'dark');
  await expect.poll(async () => (await app.caller.settings.get()).theme).toBe('dark');
  await expect(theme(second)).toHaveAttribute('data-theme', 'dark');

  // Back to light from the other window, which shows the choice on its Settings screen.
  await openScreen(second, 'Settings');
  await expect(second.getByRole('radio', { name: 'Dark' })).toBeChecked();
  await second.getByRole('radio', { name: 'Light' }).check();
  await expect(theme(first)).toHaveAttribute('data-theme', 'light');
  await expect(first.getByRole('radio', { name: 'Light' })).toBeChecked();
  await context.close();
});
