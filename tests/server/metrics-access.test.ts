import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startServer, type RunningServer, type ServerOptions } from '../../server';
import { isLoopbackHost } from '../../server/http';
import { TEST_OPTIONS } from './helpers';

/**
 * OPS-6: an operator can keep /metrics to their scraper (a bearer token of at least 32 characters, compared in
 * constant time, never logged) or turn it off. Before, /metrics answered anyone who reached the server and
 * the server knew no such option.
 */
const TOKEN = 'a3f1c9e07b2d4e6f8a0c1b3d5e7f9a2c4b6d8e0f1a3c5e7b9d2f4a6c8e0b1d3f';
const dirs: string[] = [];
const running: RunningServer[] = [];

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'curio-metrics-'));
  dirs.push(dir);
  return dir;
}

afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.all(running.splice(0).map((server) => server.close()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function serve(options: ServerOptions): Promise<RunningServer> {
  const server = await startServer({ ...TEST_OPTIONS, dataDir: tempDir(), ...options });
  running.push(server);
  return server;
}

async function scrape(server: RunningServer, authorization?: string) {
  const response = await fetch(`${server.url}/metrics`, authorization ? { headers: { authorization } } : {});
  const text = await response.text();
  return { status: response.status, headers: response.headers, text };
}

function messageOf(text: string): string {
  return (JSON.parse(text) as { error: { code: string; message: string } }).error.message;
}

async function refusal(options: ServerOptions): Promise<string> {
  try {
    await serve(options);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('The server started.');
}

describe('OPS-6: who may read /metrics', () => {
  it('with a metrics token, a scrape without it or with another is 401 in words; with it, the metrics', async () => {
    const log = new PassThrough();
    let logged = '';
    log.on('data', (chunk: Buffer) => (logged += chunk.toString()));
    const server = await serve({ metricsToken: TOKEN, logLevel: 'info', logStream: log });

    const missing = await scrape(server);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="curio-metrics"');
    expect(JSON.parse(missing.text).error.code).toBe('UNAUTHORIZED');
    expect(messageOf(missing.text)).toMatch(
      /^This server's metrics need its metrics token: send Authorization: Bearer <token>/,
    );
    expect(missing.text).not.toContain('curio_http_requests_total');

    const wrongToken = `${TOKEN.slice(0, -1)}0`;
    for (const authorization of [`Bearer ${wrongToken}`, 'Bearer short', `Basic ${TOKEN}`]) {
      const refused = await scrape(server, authorization);
      expect(refused.status).toBe(401);
      expect(refused.text).not.toContain('# TYPE');
    }
    expect(messageOf((await scrape(server, `Bearer ${wrongToken}`)).text)).toMatch(
      /^The bearer token sent is not this server's metrics token\./,
    );

    const allowed = await scrape(server, `Bearer ${TOKEN}`);
    expect(allowed.status).toBe(200);
    expect(allowed.text).toContain('# TYPE curio_http_requests_total counter');
    expect(allowed.text).toContain('curio_http_requests_total{method="GET",route="/metrics",status="401"}');
    // Everything else stays as it was.
    expect((await fetch(`${server.url}/health`)).status).toBe(200);

    await server.close();
    running.splice(running.indexOf(server), 1);
    expect(logged).toContain('metrics scrape refused');
    expect(logged).not.toContain(TOKEN);
    expect(logged).not.toContain(wrongToken);
  });

  it('the token may come from CURIO_METRICS_TOKEN; an option given wins over it', async () => {
    vi.stubEnv('CURIO_METRICS_TOKEN', TOKEN);
    const fromEnv = await serve({});
    expect((await scrape(fromEnv)).status).toBe(401);
    expect((await scrape(fromEnv, `Bearer ${TOKEN}`)).status).toBe(200);

    const other = 'Z'.repeat(40);
    const fromOption = await serve({ metricsToken: other });
    expect((await scrape(fromOption, `Bearer ${TOKEN}`)).status).toBe(401);
    expect((await scrape(fromOption, `Bearer ${other}`)).status).toBe(200);
  });

  it('metrics off: no /metrics at all (404), even with CURIO_METRICS_TOKEN set for the machine', async () => {
    vi.stubEnv('CURIO_METRICS_TOKEN', TOKEN);
    const server = await serve({ metrics: false });
    const off = await scrape(server, `Bearer ${TOKEN}`);
    expect(off.status).toBe(404);
    expect(off.text).not.toContain('# TYPE');
    expect((await fetch(`${server.url}/health/ready`)).status).toBe(200);
  });

  it('without a token it stays open, as before (the default listens on this machine only)', async () => {
    const server = await serve({});
    expect((await scrape(server)).status).toBe(200);
    // A server that listens beyond this machine warns at start that its metrics are open.
    expect(['127.0.0.1', '127.0.0.5', 'localhost', '::1'].every(isLoopbackHost)).toBe(true);
    expect(['0.0.0.0', '::', '192.168.1.10', 'curio.example.org'].some(isLoopbackHost)).toBe(false);
  });

  it('refuses at start, in words and without echoing it, a token too short or with spaces, or one with metrics off', async () => {
    const short = 'hunter2-metrics';
    const tooShort = await refusal({ metricsToken: short });
    expect(tooShort).toBe(
      'The metrics token (--metrics-token, --metrics-token-file or CURIO_METRICS_TOKEN) is too short: 15 ' +
        'characters; use at least 32, as long as a password nobody has to type. Make one with: openssl rand -hex 32',
    );
    expect(tooShort).not.toContain(short);

    const spaced = 'correct horse battery staple and more words';
    const withSpaces = await refusal({ metricsToken: spaced });
    expect(withSpaces).toMatch(/may hold only visible ASCII characters, without spaces: it travels in an HTTP header/);
    expect(withSpaces).not.toContain(spaced);

    vi.stubEnv('CURIO_METRICS_TOKEN', 'short');
    expect(await refusal({})).toMatch(/^The metrics token .* is too short: 5 characters/);
    vi.unstubAllEnvs();

    expect(await refusal({ metrics: false, metricsToken: TOKEN })).toBe(
      '/metrics is turned off (--no-metrics), so a metrics token has nothing to protect: give one or the other.',
    );
  });
});

describe('OPS-6: serve --metrics-token-file and --no-metrics', { timeout: 120_000 }, () => {
  const root = path.resolve(__dirname, '../..');
  const tsx = path.join(root, 'node_modules/.bin/tsx');

  async function serveCli(...args: string[]): Promise<{ code: number; stderr: string }> {
    try {
      await promisify(execFile)(tsx, ['server/cli.ts', 'serve', '--port', '0', '--data-dir', tempDir(), ...args], {
        cwd: root,
      });
      return { code: 0, stderr: '' };
    } catch (error) {
      const failure = error as { code: number; stderr: string };
      return { code: failure.code, stderr: failure.stderr };
    }
  }

  it('reads the token from a file (as openssl rand -hex 32 > FILE writes it) and requires it', async () => {
    const file = path.join(tempDir(), 'metrics-token');
    writeFileSync(file, `${TOKEN}\n`, { mode: 0o600 });
    const child = spawn(
      tsx,
      ['server/cli.ts', 'serve', '--port', '0', '--data-dir', tempDir(), '--metrics-token-file', file],
      {
        cwd: root,
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stderr.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
          if (match) resolve(match[1]!);
        });
        child.once('exit', () => reject(new Error(`serve exited: ${output}`)));
      });
      expect((await fetch(`${url}/metrics`)).status).toBe(401);
      const allowed = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(allowed.status).toBe(200);
      expect(await allowed.text()).toContain('# TYPE curio_http_requests_total counter');
    } finally {
      child.kill('SIGTERM');
    }
    expect(output).not.toContain(TOKEN);
  });

  it('refuses a short token, an unreadable file, both flags, and a token with --no-metrics, in words', async () => {
    const short = path.join(tempDir(), 'short-token');
    writeFileSync(short, 'abc123\n');
    expect(await serveCli('--metrics-token-file', short)).toEqual({
      code: 1,
      stderr:
        'The metrics token (--metrics-token, --metrics-token-file or CURIO_METRICS_TOKEN) is too short: 6 ' +
        'characters; use at least 32, as long as a password nobody has to type. Make one with: openssl rand -hex 32\n',
    });
    expect(await serveCli('--metrics-token-file', '/no/such/token')).toEqual({
      code: 1,
      stderr: 'Cannot read --metrics-token-file /no/such/token: there is no such file.\n',
    });
    expect(await serveCli('--metrics-token', TOKEN, '--metrics-token-file', short)).toEqual({
      code: 1,
      stderr: 'Give the metrics token once: --metrics-token or --metrics-token-file, not both.\n',
    });
    expect(await serveCli('--no-metrics', '--metrics-token', TOKEN)).toEqual({
      code: 1,
      stderr:
        '/metrics is turned off (--no-metrics), so a metrics token has nothing to protect: give one or the other.\n',
    });
  });
});
