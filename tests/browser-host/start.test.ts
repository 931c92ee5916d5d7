import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { npmStart } from '../e2e/safety-helpers-restart';

describe('npm start without an Electron binary', () => {
  it('opens a profile folder and serves browser mode at the address it prints', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'curio-start-'));
    const started = await npmStart(dataDir, { port: 0 });
    try {
      const page = await fetch(started.url.split('#')[0]!);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<title>Curio</title>');
      expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    } finally {
      await started.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
