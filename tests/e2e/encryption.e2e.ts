import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBrowserHost } from '../../main/browser-host';
import { openCore } from '../../main/core';
import { expect, RENDERER_DIR, snap, test } from './fixtures';

const ACTOR = { id: 'e2e:Alex Admin', name: 'Alex Admin', role: 'admin' as const };

test('Settings says the profile is encrypted; with another key it opens in recovery saying the key is missing', async ({
  page,
}) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'curio-e2e-encryption-'));
  const first = await openCore({ dataDir, actor: ACTOR, encryption: { key: randomBytes(32) } });
  await first.createCaller().entities.create({ type: 'series', fields: { name: 'Walk 0' } });
  let host = await startBrowserHost({ core: first, port: 0, rendererDir: RENDERER_DIR });
  try {
    await page.goto(host.url);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
    await expect(page.getByLabel('encryption at rest')).toContainText(
      'encrypted on disk, with a key kept by the OS keyring',
    );
  } finally {
    await host.close();
    await first.close();
  }

  const core = await openCore({ dataDir, actor: ACTOR, encryption: { key: randomBytes(32) } });
  host = await startBrowserHost({ core, port: 0, rendererDir: RENDERER_DIR });
  try {
    await page.goto(host.url);
    await expect(page.getByRole('heading', { name: 'This profile needs recovery' })).toBeVisible();
    await expect(page.getByText(/encrypted and its key is missing/)).toBeVisible();
    await snap(page, 'recovery-key-missing');
  } finally {
    await host.close();
    await core.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});
