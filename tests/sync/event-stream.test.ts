import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  backoffDelay,
  LiveStream,
  type LiveStreamOptions,
  parseEventStream,
  type StreamEvent,
} from '../../main/sync/event-stream';
import { eventually } from './harness';

function bodyOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

async function collect(chunks: string[]): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const event of parseEventStream(bodyOf(chunks))) events.push(event);
  return events;
}

describe('parseEventStream', () => {
  it('reads events split across chunks anywhere, with CRLF, comments and multi-line data', async () => {
    const events = await collect([
      'event: ready\ndata: {}\n\n: a comment\n\nevent: cha',
      'nge\r\ndata: {"a":\r\ndata: 1}\r\n\r',
      '\nevent: heartbeat\ndata: {"at":"x"}\n\n',
    ]);
    expect(events).toEqual([
      { event: 'ready', data: '{}' },
      { event: 'change', data: '{"a":\n1}' },
      { event: 'heartbeat', data: '{"at":"x"}' },
    ]);
  });

  it('ignores an unfinished event at the end of a dropped connection', async () => {
    expect(await collect(['event: change\ndata: {"partial"'])).toEqual([]);
  });
});

describe('backoffDelay', () => {
  it('grows exponentially up to the ceiling, with jitter in the upper half', () => {
    const options = { initialMs: 100, maxMs: 1000 };
    for (let attempt = 0; attempt < 8; attempt++) {
      const ceiling = Math.min(1000, 100 * 2 ** attempt);
      const delay = backoffDelay(attempt, options);
      expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
      expect(delay).toBeLessThanOrEqual(ceiling);
    }
  });
});

describe('LiveStream', () => {
  let server: http.Server | undefined;
  let stream: LiveStream | undefined;
  afterEach(async () => {
    await stream?.stop();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

  /** Answers every request with `handle` on 127.0.0.1; returns the address. */
  async function serve(handle: http.RequestListener): Promise<string> {
    const listening = http.createServer(handle);
    server = listening;
    await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
  }

  /** A stream from `url` that ignores what a test does not listen to, and never gives up unless told. */
  function liveStream(
    url: string,
    options: Pick<LiveStreamOptions, 'backoff' | 'idleTimeoutMs' | 'heartbeatGraceMs'> & Partial<LiveStreamOptions>,
  ): LiveStream {
    return new LiveStream({
      serverUrl: url,
      open: (signal) => fetch(url, { signal }),
      onConnected: () => undefined,
      onEvent: () => undefined,
      onDisconnected: () => undefined,
      isFatal: () => false,
      ...options,
    });
  }

  it('CLIENT-1: announces every (re)connection, so the replication resyncs each time, and delivers events', async () => {
    let connections = 0;
    const url = await serve((request, response) => {
      connections++;
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(`event: change\ndata: {"n":${connections}}\n\n`);
      // The first two connections drop at once; the third stays open.
      if (connections <= 2) setTimeout(() => response.destroy(), 10);
    });
    const connected: number[] = [];
    const events: string[] = [];
    const failures: unknown[] = [];
    stream = liveStream(url, {
      onConnected: () => connected.push(Date.now()),
      onEvent: (event) => events.push(event.data),
      onDisconnected: (error) => failures.push(error),
      backoff: { initialMs: 10, maxMs: 50 },
      idleTimeoutMs: 5000,
      heartbeatGraceMs: 100,
    });
    await eventually(() => expect(events).toEqual(['{"n":1}', '{"n":2}', '{"n":3}']));
    expect(connected).toHaveLength(3);
    expect(failures).toHaveLength(2);
  });

  it('treats a silent connection as dead and reconnects', async () => {
    let connections = 0;
    const url = await serve((request, response) => {
      connections++;
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('event: ready\ndata: {}\n\n');
      // Then nothing: no heartbeat.
    });
    const failures: string[] = [];
    stream = liveStream(url, {
      onDisconnected: (error) => failures.push(String((error as Error).message)),
      backoff: { initialMs: 10, maxMs: 20 },
      idleTimeoutMs: 100,
      heartbeatGraceMs: 100,
    });
    await eventually(() => expect(connections).toBeGreaterThanOrEqual(2));
    expect(failures.length).toBeGreaterThanOrEqual(1);
  });

  it('CLIENT-9: silence beyond the heartbeat the server announced, plus grace, is a lost connection', async () => {
    let connections = 0;
    const url = await serve((request, response) => {
      connections++;
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      // Announces a 50 ms heartbeat, then sends nothing: far shorter than the 60 s idle fallback.
      response.write('event: ready\ndata: {"heartbeatMs":50}\n\n');
    });
    const failures: string[] = [];
    stream = liveStream(url, {
      onDisconnected: (error) => failures.push(String((error as Error).message)),
      backoff: { initialMs: 10, maxMs: 20 },
      idleTimeoutMs: 60_000,
      heartbeatGraceMs: 100,
    });
    await eventually(() => expect(failures[0]).toMatch(/connection to the sync server was lost/));
    expect(connections).toBeGreaterThanOrEqual(1);
  });

  it('stops retrying after a fatal error', async () => {
    let connections = 0;
    const url = await serve((request, response) => {
      connections++;
      response.writeHead(401, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { code: 'UNAUTHORIZED', message: 'Session revoked.' } }));
    });
    const outcomes: { message: string; retrying: boolean }[] = [];
    stream = liveStream(url, {
      onDisconnected: (error, retrying) => outcomes.push({ message: (error as Error).message, retrying }),
      isFatal: (error) => (error as { code?: string }).code === 'UNAUTHORIZED',
      backoff: { initialMs: 10, maxMs: 20 },
      idleTimeoutMs: 1000,
      heartbeatGraceMs: 100,
    });
    await eventually(() => expect(outcomes).toEqual([{ message: 'Session revoked.', retrying: false }]));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(connections).toBe(1);
  });
});
