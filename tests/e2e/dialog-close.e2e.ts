import { resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { build } from 'esbuild';

/**
 * The Dialog component alone in Chromium (the repository has no DOM test setup): a page whose owner
 * counts the calls of `onClose` and shows the count, the way a screen's state would change, beside the
 * count of the browser's close events (so a call that comes with a later event is waited for, not raced).
 */
const OWNER = `
import { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { Dialog } from './renderer/src/components/Dialog';

function Owner() {
  const [open, setOpen] = useState(false);
  const [closes, setCloses] = useState(0);
  // The browser's close events, heard after the Dialog's own listener: once one shows, its onClose calls have run.
  const [events, setEvents] = useState(0);
  useEffect(() => {
    const dialog = document.querySelector('dialog')!;
    const seen = () => setEvents((n) => n + 1);
    dialog.addEventListener('close', seen);
    return () => dialog.removeEventListener('close', seen);
  }, []);
  const close = () => {
    setCloses((n) => n + 1);
    setOpen(false);
  };
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>Ask</button>
      <output aria-label="onClose calls">{closes}</output>
      <output aria-label="close events">{events}</output>
      <Dialog title="Really?" open={open} onClose={close}>
        <button type="button" onClick={close}>Cancel</button>
      </Dialog>
    </>
  );
}
createRoot(document.getElementById('root')!).render(<Owner />);
`;

async function openOwner(page: Page): Promise<void> {
  const bundled = await build({
    stdin: { contents: OWNER, loader: 'tsx', resolveDir: resolve(import.meta.dirname, '../..') },
    bundle: true,
    write: false,
    format: 'iife',
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"development"' },
    logLevel: 'silent',
  });
  await page.setContent('<div id="root"></div>');
  await page.addScriptTag({ content: bundled.outputFiles[0]!.text });
}

test('a dialog calls onClose once when Esc closes it, and not again when its owner closes it', async ({ page }) => {
  await openOwner(page);
  const calls = page.getByRole('status', { name: 'onClose calls' });
  const events = page.getByRole('status', { name: 'close events' });
  const dialog = page.getByRole('dialog', { name: 'Really?' });

  await page.getByRole('button', { name: 'Ask' }).click();
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(events).toHaveText('1');
  await expect(calls).toHaveText('1');

  // Closed by its owner (Cancel calls the owner's handler): the dialog does not report that close back.
  await page.getByRole('button', { name: 'Ask' }).click();
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(events).toHaveText('2');
  await expect(calls).toHaveText('2');

  // Once more by Esc: the count stays exact across openings.
  await page.getByRole('button', { name: 'Ask' }).click();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(events).toHaveText('3');
  await expect(calls).toHaveText('3');
});
