import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { create, dogDoc } from './documents';
import { ADAPTERS, Api, PASSWORD, serverHarness } from './helpers';

describe.each(ADAPTERS)('operations and hardening on %s', (adapter) => {
  const harness = serverHarness(adapter);

  it('OPS-1 OPS-2 OPS-3: health, readiness with the database, Prometheus metrics', async () => {
    const server = await harness.start();
    const health = await fetch(`${server.url}/health`);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${server.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', database: adapter });
    const { api, actor } = await server.signIn('editor');
    await api.push('dog', [create(dogDoc(actor))]);
    const metrics = await fetch(`${server.url}/metrics`);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await metrics.text();
    expect(text).toContain('# TYPE curio_http_requests_total counter');
    expect(text).toContain('curio_sync_pushed_documents_total{collection="dog"} 1');
    expect(text).toContain('curio_logins_total{result="success"} 1');
    expect(text).toMatch(/curio_stream_clients 0/);
  });

  it('OPS-2: readiness turns 503 when the database is gone', async () => {
    const server = await harness.start();
    await server.store.close();
    const ready = await fetch(`${server.url}/health/ready`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { error: { code: string } }).error.code).toBe('INTERNAL');
  });

  it('HARD-1: an oversized body is 413 with the error shape', async () => {
    const server = await harness.start({ bodyLimit: 10_000 });
    const { api, actor } = await server.signIn('editor');
    const big = dogDoc(actor, { notes: 'x'.repeat(20_000) });
    const response = await api.push('dog', [create(big)]);
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe('VALIDATION');
    expect(response.body.error.message).toMatch(/larger than/);
  });

  it('HARD-2 HARD-3: security headers everywhere, no CORS unless configured', async () => {
    const server = await harness.start();
    const response = await fetch(`${server.url}/health`, { headers: { origin: 'https://evil.example' } });
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(`${server.url}/v1/auth/login`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();

    const open = await harness.start({ corsOrigins: ['https://app.example'] });
    const allowed = await fetch(`${open.url}/v1/auth/login`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
    });
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(allowed.headers.get('access-control-allow-headers')).toContain('x-curio-protocol');
    const other = await fetch(`${open.url}/health`, { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('HARD-4: bad input gets a clear 4xx and the server keeps serving', async () => {
    const server = await harness.start();
    const { api, actor } = await server.signIn('editor');
    const raw = (body: string, contentType = 'application/json') =>
      api.request('POST', '/v1/sync/dog/push', undefined, { raw: body, headers: { 'content-type': contentType } });
    const cases = [
      await raw('{"rows":[{"assumedMasterState":null,"newDocumentState":'),
      await raw(''),
      await raw('null'),
      await raw('"rows"'),
      await raw('rows=1', 'application/x-www-form-urlencoded'),
      await api.post('/v1/sync/dog/push', {
        rows: [{ assumedMasterState: null, newDocumentState: { id: [], rev: 1 } }],
      }),
      await api.post('/v1/sync/%27%3B%20DROP%20TABLE%20documents%3B--/pull', { checkpoint: null, limit: 1 }),
      await api.post('/v1/auth/login', { username: { $ne: '' }, password: PASSWORD }),
      await api.request('GET', '/v1/nothing-here'),
      await api.post('/v1/admin/users', {
        username: "'; DROP TABLE users;--",
        name: 'x',
        password: PASSWORD,
        role: 'viewer',
      }),
    ];
    for (const response of cases) {
      expect(response.status, response.text).toBeGreaterThanOrEqual(400);
      expect(response.status, response.text).toBeLessThan(500);
      expect(response.body.error).toEqual({
        code: expect.any(String),
        message: expect.any(String),
        ...(response.body.error.fieldErrors ? { fieldErrors: expect.any(Array) } : {}),
      });
    }
    const doc = dogDoc(actor);
    expect((await api.push('dog', [create(doc)])).body).toEqual({ conflicts: [], refused: [] });
    expect((await new Api(server.url, api.token).pull('dog', null)).body.documents).toEqual([doc]);
  });

  it('HARD-5: logs are JSON lines and carry no passwords or tokens', async () => {
    const lines: string[] = [];
    const logStream = new PassThrough();
    logStream.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
    const server = await harness.start({ logLevel: 'trace', logStream });
    const session = await server.signIn('editor');
    await session.api.pull('dog', null);
    await server.api().post('/v1/auth/refresh', { refreshToken: session.refreshToken });
    await server.api().post('/v1/auth/login', { username: 'someone', password: 'leaky-password-123' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    const all = lines.join('\n');
    expect(all).not.toContain(PASSWORD);
    expect(all).not.toContain('leaky-password-123');
    expect(all).not.toContain(session.accessToken);
    expect(all).not.toContain(session.refreshToken);
  });
});

describe('behind a proxy (HARD-6)', () => {
  const harness = serverHarness('sqlite');

  async function recordedAddress(trustProxy: boolean): Promise<string | null> {
    const server = await harness.start({ trustProxy });
    const admin = await server.signIn('admin');
    await server
      .api()
      .request(
        'POST',
        '/v1/auth/login',
        { username: 'nobody', password: 'x' },
        { headers: { 'x-forwarded-for': '203.0.113.7' } },
      );
    const entries = (await admin.api.get('/v1/admin/audit')).body.entries as { action: string; ip: string | null }[];
    return entries.find((entry) => entry.action === 'login.failed')?.ip ?? null;
  }

  it('HARD-6: X-Forwarded-For is believed only with trustProxy', async () => {
    expect(await recordedAddress(true)).toBe('203.0.113.7');
    expect(await recordedAddress(false)).toBe('127.0.0.1');
  });
});

describe('TLS (HARD-6)', () => {
  const harness = serverHarness('sqlite');
  let openssl = true;
  try {
    execFileSync('openssl', ['version']);
  } catch {
    openssl = false;
  }

  it.skipIf(!openssl)('HARD-6: with a certificate and key the server speaks HTTPS and sends HSTS', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'curio-tls-'));
    try {
      const key = path.join(dir, 'key.pem');
      const cert = path.join(dir, 'cert.pem');
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-keyout',
          key,
          '-out',
          cert,
          '-days',
          '1',
          '-subj',
          '/CN=127.0.0.1',
          '-addext',
          'subjectAltName=IP:127.0.0.1',
        ],
        { stdio: 'ignore' },
      );
      const server = await harness.start({ tls: { cert: readFileSync(cert), key: readFileSync(key) } });
      expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const { status, headers, body } = await new Promise<{
        status: number;
        headers: Record<string, unknown>;
        body: string;
      }>((resolve, reject) => {
        https
          .get(`${server.url}/health`, { ca: readFileSync(cert) }, (response) => {
            let text = '';
            response.on('data', (chunk) => (text += chunk));
            response.on('end', () =>
              resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }),
            );
          })
          .on('error', reject);
      });
      expect(status).toBe(200);
      expect(JSON.parse(body)).toEqual({ status: 'ok' });
      expect(headers['strict-transport-security']).toMatch(/max-age=/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
