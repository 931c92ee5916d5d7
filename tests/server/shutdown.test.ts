import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, PROTOCOL_VERSION_HEADER, PULL_PAGES_MEDIA_TYPE } from '../../shared/protocol';
import { startServer, type RunningServer } from '../../server';
import { create, dogDoc } from './documents';
import { TEST_OPTIONS, decorate, login, type SignedIn } from './helpers';

const root = path.resolve(__dirname, '../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');
const dirs: string[] = [];
const running: RunningServer[] = [];

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'curio-shutdown-'));
  dirs.push(dir);
  return dir;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Enough dogs that a streamed pull answer is far larger than what the sockets' buffers hold (about 7 MB). */
async function seed(signedIn: SignedIn): Promise<void> {
  for (let batch = 0; batch < 60; batch++) {
    const rows = Array.from({ length: 200 }, () => create(dogDoc(signedIn.actor, { name: 'x'.repeat(190) })));
    const answer = await signedIn.api.push('dog', rows);
    expect(answer.body).toEqual({ conflicts: [], refused: [] });
  }
}

function headers(token: string): Record<string, string> {
  return {
    [PROTOCOL_VERSION_HEADER]: String(PROTOCOL_VERSION),
    authorization: `Bearer ${token}`,
    'content-type': 'application/json',
  };
}

interface Stalled {
  /** Reads on what arrived; settles when the connection is gone, with whether the whole answer came. */
  ended(): Promise<{ complete: boolean }>;
}

/** A streamed pull of everything whose answer is never read: the server's writes stall once the buffers fill. */
function stalledPull(url: string, token: string): Promise<Stalled> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      new URL('/v1/sync/dog/pull', url),
      { method: 'POST', headers: { ...headers(token), accept: PULL_PAGES_MEDIA_TYPE, 'accept-encoding': 'identity' } },
      (response) => {
        response.pause();
        response.on('error', () => undefined);
        const closed = new Promise<{ complete: boolean }>((settle) =>
          response.once('close', () => settle({ complete: response.complete })),
        );
        resolve({
          ended: () => {
            response.resume();
            return closed;
          },
        });
      },
    );
    request.on('error', reject);
    request.end(JSON.stringify({ checkpoint: null, limit: 1000 }));
  });
}

/** An open live stream; `ended` settles when the server ends it. */
function liveStream(url: string, token: string): Promise<{ ended: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const request = http.get(new URL('/v1/sync/stream', url), { headers: headers(token) }, (response) => {
      expect(response.statusCode).toBe(200);
      response.resume();
      resolve({ ended: new Promise<void>((settle) => response.once('close', () => settle())) });
    });
    request.on('error', reject);
  });
}

/** A raw connection: what the server wrote back, and when it closed. */
function rawConnection(url: string) {
  const { port } = new URL(url);
  const socket = net.connect(Number(port), '127.0.0.1');
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
  const closed = new Promise<string>((resolve) => socket.once('close', () => resolve(received)));
  socket.on('error', () => undefined);
  const connected = new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  return { socket, closed, connected };
}

describe('stopping the server (OPS-5)', { timeout: 120_000 }, () => {
  it('OPS-5: close() finishes while a reader stalls, a stream is open and a keep-alive idles; a push in flight commits and is answered; a new request gets 503 with Retry-After', async () => {
    const dataDir = tempDir();
    const lines: string[] = [];
    const logStream = new PassThrough();
    logStream.on('data', (chunk: Buffer) => lines.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
    const server = decorate(
      await startServer({ ...TEST_OPTIONS, dataDir, logLevel: 'warn', logStream, shutdownGraceMs: 2000 }),
    );
    running.push(server);
    const editor = await server.signIn('editor');
    await seed(editor);
    const token = editor.accessToken;

    const stalled = await stalledPull(server.url, token);
    const stream = await liveStream(server.url, token);
    // An idle keep-alive connection (one answered request, then nothing).
    const idle = rawConnection(server.url);
    await idle.connected;
    idle.socket.write(`GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n`);
    await new Promise<void>((resolve) => idle.socket.once('data', () => resolve()));

    // A push whose headers and half its body arrived before the stop; the rest comes after it began.
    const pushed = create(dogDoc(editor.actor, { name: 'Pushed while stopping' }));
    const body = JSON.stringify({ rows: [pushed] });
    const push = rawConnection(server.url);
    await push.connected;
    const head = Object.entries(headers(token))
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    push.socket.write(
      `POST /v1/sync/dog/push HTTP/1.1\r\nHost: 127.0.0.1\r\n${head}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 20)}`,
    );
    // A request whose first bytes came before the stop and the rest after it: refused, not served.
    const late = rawConnection(server.url);
    await late.connected;
    late.socket.write('GET /v1/sync/dog');
    // Both requests are under way on the server before it stops (a health request on a third connection is answered
    // after the server read what came before it on the others).
    await server.api().get('/health');

    const stopping = server.close();
    push.socket.write(body.slice(20));
    late.socket.write(`/pull HTTP/1.1\r\nHost: 127.0.0.1\r\n${head}Content-Length: 2\r\n\r\n{}`);

    const pushAnswer = await push.closed;
    expect(pushAnswer).toMatch(/^HTTP\/1\.1 200/);
    expect(pushAnswer.toLowerCase()).toContain('connection: close');
    expect(pushAnswer).toContain('{"conflicts":[],"refused":[]}');
    const lateAnswer = await late.closed;
    expect(lateAnswer).toMatch(/^HTTP\/1\.1 503/);
    expect(lateAnswer.toLowerCase()).toContain('retry-after: 5');
    expect(lateAnswer).toContain('The sync server is shutting down');

    // Does not hang: the stalled reader is cut after the grace period, everything else ends on its own.
    await stopping;
    expect(await stalled.ended()).toEqual({ complete: false });
    await stream.ended;
    await idle.closed;
    const cutLine = lines.map((line) => JSON.parse(line) as { msg: string; cut?: unknown }).find((line) => line.cut);
    expect(cutLine?.msg).toContain('shutdown grace of 2 s ran out');
    expect(cutLine?.cut).toEqual([expect.objectContaining({ method: 'POST', url: '/v1/sync/dog/pull' })]);

    // The push answered 200 is in the store after a restart.
    const again = decorate(await startServer({ ...TEST_OPTIONS, dataDir }));
    running.push(again);
    const found = await again.store.sql.get<{ n: number }>(
      "SELECT COUNT(*) AS n FROM documents WHERE collection = 'dog' AND id = ?",
      [(pushed.newDocumentState as { id: string }).id],
    );
    expect(found?.n).toBe(1);
  });

  it('OPS-5: `npm run server` exits with code 0 after SIGTERM while a reader stalls on a streamed pull', async () => {
    const dataDir = tempDir();
    const seeded = decorate(await startServer({ ...TEST_OPTIONS, dataDir }));
    running.push(seeded);
    const editor = await seeded.signIn('editor');
    await seed(editor);
    await seeded.close();

    const child = spawn(
      tsx,
      ['server/cli.ts', 'serve', '--port', '0', '--data-dir', dataDir, '--log-level', 'warn'],
      // Its own process group, signalled as a whole as Ctrl-C or a service manager does (npm, tsx and node alike).
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const check = () => {
          const match = /listening on (http:\/\/\S+) /.exec(output);
          if (match) resolve(match[1]!);
        };
        child.stderr.on('data', check);
        void exited.then(() => reject(new Error(`serve exited: ${output}`)));
      });
      const { accessToken } = await login(url, editor.user.username);
      const stalled = await stalledPull(url, accessToken);
      // NOTE: tsx SIGKILLs its child when the child does not take a signal within about 60 ms, so the signal goes
      // once the server's loop is free again (the pull stalled), as it is when an operator stops it.
      for (let round = 0; round < 3; round++) await fetch(`${url}/health`).then((answer) => answer.text());

      process.kill(-child.pid!, 'SIGTERM');
      // Does not hang: the exit comes at all (the test's timeout is the bound), and it is a clean one.
      expect(await exited).toBe(0);
      expect(output).toContain('Curio sync server stopped.');
      // The default grace period (10 s) ran out for the reader that never reads on.
      expect(output).toContain('shutdown grace of 10 s ran out');
      expect(await stalled.ended()).toEqual({ complete: false });
    } finally {
      if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
    }
  });
});
