import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppProtocolHandler } from '../../main/electron/app-protocol';
import { contentSecurityPolicy } from '../../main/electron/csp';

let root: string;
let handle: (request: Request) => Promise<Response>;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'curio-protocol-'));
  const rendererDir = join(root, 'renderer');
  await mkdir(join(rendererDir, 'assets'), { recursive: true });
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Curio</title>');
  await writeFile(join(rendererDir, 'assets', 'index.js'), 'console.log(1)');
  await writeFile(join(root, 'secret.txt'), 'outside the renderer');
  handle = createAppProtocolHandler({ rendererDir, csp: contentSecurityPolicy() });
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('app:// protocol', () => {
  it('serves the renderer with the CSP and the right content type', async () => {
    const response = await handle(new Request('app://curio/assets/index.js'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(contentSecurityPolicy());
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toBe('console.log(1)');
  });

  it('answers an in-app route with index.html', async () => {
    const response = await handle(new Request('app://curio/library/video'));
    expect(await response.text()).toContain('<title>Curio</title>');
  });

  it.each([
    'app://curio/..%2Fsecret.txt',
    'app://curio/%2e%2e/secret.txt',
    'app://curio/assets/..%2F..%2Fsecret.txt',
    'app://curio/missing.js',
    'app://elsewhere/index.html',
  ])('serves nothing outside the renderer folder: %s', async (url) => {
    const response = await handle(new Request(url));
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('outside the renderer');
  });

  it('refuses writes', async () => {
    const response = await handle(new Request('app://curio/index.html', { method: 'POST', body: 'x' }));
    expect(response.status).toBe(405);
  });
});
