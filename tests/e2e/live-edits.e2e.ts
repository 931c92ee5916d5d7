import type { Page } from '@playwright/test';
import { expect, openLibrary, test } from './fixtures';
import { startTwoPeople } from './safety-helpers-editor';

/**
 * Issue 16, on screen: an edit saved on one instance (A, Ada) reaches the other instance's open
 * list and editor (B, Eddie) live, through a real sync server, without a reload; the list takes
 * the changed entry in place, and nothing overwrites what B typed and has not saved.
 */

/** Counts the list reads the page sends to its core (tRPC over the browser host's WebSocket). */
function countListReads(page: Page, reads: { count: number }): void {
  page.on('websocket', (socket) =>
    socket.on('framesent', ({ payload }) => {
      if (String(payload).includes('"entities.list"')) reads.count++;
    }),
  );
}

test('B’s open list follows A’s edits live: a row changes in place, leaves the filter, a new entry takes its place', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const listReads = { count: 0 };
  const team = await startTwoPeople(browser, async (context, person) => {
    if (person === 'eddie') context.on('page', (page) => countListReads(page, listReads));
  });
  const a = team.ada.app;
  const { app: b, page: pageB } = team.eddie;
  try {
    const rex = await a.caller.entities.create({ type: 'dog', fields: { name: 'Rex', breed: 'Collie' } });
    await a.caller.entities.create({ type: 'dog', fields: { name: 'Max', breed: 'Collie' } });
    await a.caller.entities.create({ type: 'dog', fields: { name: 'Bella', breed: 'Beagle' } });

    await openLibrary(pageB, 'Dogs');
    await pageB.getByLabel('Breed contains').fill('Collie');
    const rows = pageB.getByRole('grid', { name: 'Dogs' }).locator('.table-row');
    await expect(rows).toHaveText([/Max/, /Rex/], { timeout: 30_000 });

    // A field the list neither sorts nor filters by: the row changes in place, the list is not read again.
    await expect.poll(() => b.caller.entities.list({ type: 'dog' }).then((p) => p.items.length)).toBe(3);
    const readsBefore = listReads.count;
    await a.caller.entities.update({
      type: 'dog',
      id: rex.id,
      fields: { birthYear: 2019 },
      bases: { birthYear: null },
    });
    await expect(rows.filter({ hasText: 'Rex' })).toContainText('2019', { timeout: 30_000 });
    // The audit entry of the change follows it; whatever it refreshes has had its time to be asked for.
    await pageB.waitForTimeout(2000);
    expect(listReads.count).toBe(readsBefore);

    // The filtered field changes: the row leaves B's list.
    await a.caller.entities.update({
      type: 'dog',
      id: rex.id,
      fields: { breed: 'Poodle' },
      bases: { breed: 'Collie' },
    });
    await expect(rows).toHaveText([/Max/], { timeout: 30_000 });

    // A new entry that matches takes its place in the sort order (name, ascending).
    await a.caller.entities.create({ type: 'dog', fields: { name: 'Ace', breed: 'Border Collie' } });
    await expect(rows).toHaveText([/Ace/, /Max/], { timeout: 30_000 });
  } finally {
    await team.close();
  }
});

test('B’s open editor follows A’s save field by field and keeps what B typed and has not saved', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const team = await startTwoPeople(browser);
  const { app: a, page: pageA } = team.ada;
  const pageB = team.eddie.page;
  try {
    await a.caller.entities.create({ type: 'dog', fields: { name: 'Rex', breed: 'Collie' } });

    await openLibrary(pageB, 'Dogs');
    await pageB.getByRole('row', { name: /Rex/ }).click({ timeout: 30_000 });
    const formB = pageB.getByRole('form', { name: 'dog form' });
    await formB.getByRole('textbox', { name: 'Breed', exact: true }).fill('Husky');
    await expect(formB.getByRole('status')).toContainText('Unsaved changes');

    // A saves another breed and a birth year through its own editor.
    await openLibrary(pageA, 'Dogs');
    await pageA.getByRole('row', { name: /Rex/ }).click();
    const formA = pageA.getByRole('form', { name: 'dog form' });
    await formA.getByLabel('Breed').fill('Poodle');
    await formA.getByLabel('Birth year').fill('2019');
    await formA.getByRole('button', { name: /^Save/ }).click();
    await expect(formA.getByRole('status')).toHaveText('Saved.');

    // B's list shows A's values; B's editor takes the untouched field and keeps B's typed breed, asking which to keep.
    await expect(pageB.getByRole('grid', { name: 'Dogs' })).toContainText('Poodle', { timeout: 30_000 });
    await expect(formB.getByLabel('Birth year')).toHaveValue('2019', { timeout: 30_000 });
    await expect(formB.getByRole('textbox', { name: 'Breed', exact: true })).toHaveValue('Husky');
    await expect(formB.getByRole('note', { name: 'Changes by others' })).toContainText('while you were editing');
  } finally {
    await team.close();
  }
});
