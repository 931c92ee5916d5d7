import { expect, openAudit, test } from './fixtures';

interface SentQuery {
  params?: { path?: string; input?: { from?: string; to?: string } };
}

/**
 * A From day later than the To day can match nothing: the audit screen says so and how to fix it, and
 * asks for nothing. Before, it queried the inverted range and showed an empty list with no reason.
 */
test('the audit explains a From after To instead of showing an empty list', async ({ page, app }) => {
  await app.caller.entities.create({ type: 'trip', fields: { name: 'Coast' } });
  const sent: SentQuery[] = [];
  page.on('websocket', (socket) =>
    socket.on('framesent', ({ payload }) => {
      if (typeof payload === 'string' && payload.includes('audit.query')) sent.push(JSON.parse(payload) as SentQuery);
    }),
  );
  await page.goto(app.url);
  await openAudit(page);
  const rows = page.getByRole('table', { name: 'Audit entries' }).locator('tbody tr');
  await expect(rows).toHaveCount(1);

  const filters = page.getByRole('group', { name: 'Audit filters' });
  await filters.getByLabel('From', { exact: true }).fill('2030-01-02');
  await filters.getByLabel('To', { exact: true }).fill('2030-01-01');
  await expect(page.getByRole('alert')).toHaveText(
    'From is after To, so no entry can match: pick a From on or before To, or clear one of them.',
  );
  await expect(filters.getByLabel('From', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('table', { name: 'Audit entries' })).toHaveCount(0);
  await expect(page.getByText('No audit entries match these filters.')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Export CSV' })).toHaveCount(0);

  // Fixed, the list comes back and the message goes.
  await filters.getByLabel('From', { exact: true }).fill('2000-01-01');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('Coast');
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(filters.getByLabel('From', { exact: true })).not.toHaveAttribute('aria-invalid', 'true');
  // The inverted range was never asked for (the socket keeps order: any such query came before the fixed one).
  const inverted = sent.filter(({ params }) => {
    const input = params?.path === 'audit.query' ? params.input : undefined;
    return input?.from !== undefined && input.to !== undefined && input.from > input.to;
  });
  expect(sent.length).toBeGreaterThan(0);
  expect(inverted).toEqual([]);
});
