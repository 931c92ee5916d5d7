import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTRPCClient, createWSClient, wsLink } from '@trpc/client';
import { initTRPC } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startBrowserHost, type BrowserHost } from '../../main/browser-host';

// A one-procedure router stands in for the core here: these tests are about the transport's guards.
const t = initTRPC.context<{ who: string }>().create();
const router = t.router({ whoami: t.procedure.query(({ ctx }) => ctx.who) });

let dir: string;
let host: BrowserHost;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'curio-host-'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>Curio</title>');
  host = await startBrowserHost({ core: { router, context: { who: 'local' } }, port: 0, rendererDir: dir });
});

afterAll(async () => {
  await host.close();
  await rm(dir, { recursive: true, force: true });
});

/** Opens a raw WebSocket and resolves with the HTTP status of the refusal, or 101 when accepted. */
function upgradeStatus(options: { token?: string; host?: string; origin?: string; path?: string }): Promise<number> {
  const query = options.token === undefined ? '' : `?token=${encodeURIComponent(options.token)}`;
  const socket = new WebSocket(`ws://127.0.0.1:${host.port}${options.path ?? '/trpc'}${query}`, {
    headers: { host: options.host ?? `127.0.0.1:${host.port}` },
    ...(options.origin === undefined ? {} : { origin: options.origin }),
  });
  return new Promise((resolve) => {
    socket.on('open', () => {
      socket.close();
      resolve(101);
    });
    socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    socket.on('error', () => resolve(-1));
  });
}

function get(
  path: string,
  hostHeader?: string,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: host.port, path, headers: { host: hostHeader ?? `127.0.0.1:${host.port}` } },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('browser mode host', () => {
  const origin = () => `http://127.0.0.1:${host.port}`;

  it('prints a loopback address with the token in the fragment', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/#token=${host.token}`);
    expect(host.token.length).toBeGreaterThanOrEqual(32);
  });

  it('serves the renderer with a strict Content-Security-Policy', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Curio</title>');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-eval');
  });

  it('refuses pages requested under a foreign Host (DNS rebinding)', async () => {
    expect((await get('/', `evil.example:${host.port}`)).status).toBe(403);
    expect((await get('/', `127.0.0.1:${host.port + 1}`)).status).toBe(403);
  });

  it('never serves files outside the renderer folder', async () => {
    expect((await get('/..%2f..%2fetc%2fpasswd')).status).toBe(400);
  });

  it('accepts the WebSocket with the token, its own Host and its own Origin', async () => {
    expect(await upgradeStatus({ token: host.token, origin: origin() })).toBe(101);
    expect(
      await upgradeStatus({
        token: host.token,
        origin: `http://localhost:${host.port}`,
        host: `localhost:${host.port}`,
      }),
    ).toBe(101);
  });

  it('refuses a wrong or missing token', async () => {
    expect(await upgradeStatus({ token: 'wrong', origin: origin() })).toBe(401);
    expect(await upgradeStatus({ token: `${host.token}x`, origin: origin() })).toBe(401);
    expect(await upgradeStatus({ origin: origin() })).toBe(401);
  });

  it('refuses a wrong Host', async () => {
    expect(await upgradeStatus({ token: host.token, origin: origin(), host: `evil.example:${host.port}` })).toBe(403);
  });

  it('refuses a wrong or missing Origin', async () => {
    expect(await upgradeStatus({ token: host.token, origin: 'http://evil.example' })).toBe(403);
    expect(await upgradeStatus({ token: host.token, origin: `http://127.0.0.1:${host.port + 1}` })).toBe(403);
    expect(await upgradeStatus({ token: host.token })).toBe(403);
  });

  it('refuses WebSockets on any other path', async () => {
    expect(await upgradeStatus({ token: host.token, origin: origin(), path: '/other' })).toBe(403);
  });

  it('runs tRPC calls for a client that passes the guards', async () => {
    const pageOrigin = origin();
    class OriginWebSocket extends WebSocket {
      constructor(url: string | URL) {
        super(url, { origin: pageOrigin });
      }
    }
    const wsClient = createWSClient({
      url: `ws://127.0.0.1:${host.port}/trpc?token=${host.token}`,
      WebSocket: OriginWebSocket as unknown as typeof globalThis.WebSocket,
    });
    const client = createTRPCClient<typeof router>({ links: [wsLink({ client: wsClient })] });
    try {
      expect(await client.whoami.query()).toBe('local');
    } finally {
      await wsClient.close();
    }
  });
});

describe('export downloads', () => {
  it('serve files from the exports folder only with the token', async () => {
    const exportsDir = join(dir, 'exports');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(exportsDir, { recursive: true });
    await writeFile(join(exportsDir, 'audit-1.csv'), 'id,at\n1,2\n');
    const withExports = await startBrowserHost({
      core: { router, context: { who: 'local' } },
      port: 0,
      rendererDir: dir,
      exportsDir,
    });
    try {
      const fetchPath = (path: string) =>
        fetch(`http://127.0.0.1:${withExports.port}${path}`).then(async (r) => ({
          status: r.status,
          body: await r.text(),
          disposition: r.headers.get('content-disposition'),
        }));
      const ok = await fetchPath(`/exports/audit-1.csv?token=${withExports.token}`);
      expect(ok).toMatchObject({ status: 200, body: 'id,at\n1,2\n' });
      expect(ok.disposition).toContain('attachment');
      expect((await fetchPath('/exports/audit-1.csv?token=wrong')).status).toBe(401);
      expect((await fetchPath('/exports/audit-1.csv')).status).toBe(401);
      expect((await fetchPath(`/exports/..%2findex.html?token=${withExports.token}`)).status).toBe(400);
      expect((await fetchPath(`/exports/missing.csv?token=${withExports.token}`)).status).toBe(404);
    } finally {
      await withExports.close();
    }
  });
});
