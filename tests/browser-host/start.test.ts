import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

describe('npm start without an Electron binary', () => {
  it('opens a profile folder and serves browser mode at the address it prints', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'curio-start-'));
    const child = spawn(process.execPath, [join(root, 'node_modules/tsx/dist/cli.mjs'), 'scripts/start.ts'], {
      cwd: root,
      env: { ...process.env, CURIO_BROWSER: '1', PORT: '0', CURIO_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((found, fail) => {
        let output = '';
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const match = /http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+/.exec(output);
          if (match) found(match[0]);
        });
        child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.on('exit', (code) => fail(new Error(`npm start exited with ${code}: ${output}`)));
      });
      const page = await fetch(url.split('#')[0]!);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<title>Curio</title>');
      expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    } finally {
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      await exited;
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
