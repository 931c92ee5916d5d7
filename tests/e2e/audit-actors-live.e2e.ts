import { test } from '@playwright/test';
import { expect, openAudit } from './fixtures';
import { startAdaAndEddieBehindProxies } from './sync-fixtures';

/**
 * The Actor filter follows the trail live, as the list does: a teammate's first change, arriving by
 * sync while the screen is open, adds them to the choices (and a choice of them filters to it).
 */
test('the audit Actor filter offers a teammate whose change arrives by sync, live', async ({ browser }) => {
  const team = await startAdaAndEddieBehindProxies(browser);
  try {
    const { pageA, a, b } = team;
    await a.app.caller.entities.create({ type: 'dog', fields: { name: 'Rex' } });
    await openAudit(pageA);
    const rows = pageA.getByRole('table', { name: 'Audit entries' }).locator('tbody tr');
    const actor = pageA.getByRole('group', { name: 'Audit filters' }).getByLabel('Actor');
    await expect(rows.filter({ hasText: 'Rex' })).toHaveCount(1);
    await expect(actor.getByRole('option')).toHaveText(['Anyone', 'Ada Admin']);

    await b.app.caller.entities.create({ type: 'dog', fields: { name: 'Fido' } });
    await expect(actor.getByRole('option')).toHaveText(['Anyone', 'Ada Admin', 'Eddie Editor'], { timeout: 20_000 });
    await actor.selectOption({ label: 'Eddie Editor' });
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText('Fido');
  } finally {
    await team.close();
  }
});
