import net from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { LineCapacity, SEGMENT_BYTES, ShapedLink, type LinkClock } from './link-shaper';
import { TcpProxy } from './tcp-proxy';

/** A clock that moves only when the test says so; timers fire in time order. */
function manualClock() {
  let now = 0;
  let timers: { at: number; run: () => void }[] = [];
  const clock: LinkClock = {
    now: () => now,
    after(ms, run) {
      const timer = { at: now + ms, run };
      timers.push(timer);
      return () => {
        timers = timers.filter((each) => each !== timer);
      };
    },
  };
  return {
    clock,
    /** Moves to `to`, firing every timer due on the way at its own time. */
    advanceTo(to: number) {
      for (;;) {
        const next = timers.filter((timer) => timer.at <= to).sort((a, b) => a.at - b.at)[0];
        if (!next) break;
        timers = timers.filter((timer) => timer !== next);
        now = next.at;
        next.run();
      }
      now = to;
    },
  };
}

const MBIT = 1_000_000;

describe('ShapedLink', () => {
  it('holds bytes back for their size at the bit rate, plus the one-way delay', () => {
    const { clock, advanceTo } = manualClock();
    const arrived: { at: number; length: number }[] = [];
    // 8 Mbit/s: 1,000 bytes take 1 ms on the link.
    const link = new ShapedLink(
      { bitsPerSecond: 8 * MBIT, oneWayDelayMs: 25 },
      (bytes) => arrived.push({ at: clock.now(), length: bytes.length }),
      clock,
    );
    const message = Buffer.alloc(100_000);
    expect(link.send(message)).toBe(100 + 25);

    advanceTo(124.9);
    const early = arrived.reduce((sum, each) => sum + each.length, 0);
    expect(early).toBeLessThan(message.length);
    advanceTo(125);
    expect(arrived.reduce((sum, each) => sum + each.length, 0)).toBe(message.length);
    // No segment arrives before its share of the bytes could have crossed the link.
    let received = 0;
    for (const each of arrived) {
      received += each.length;
      expect(each.at).toBeGreaterThanOrEqual((received * 8 * 1000) / (8 * MBIT) + 25 - 1e-9);
    }
  });

  it('queues what is sent while the link is busy behind it, and keeps the order', () => {
    const { clock, advanceTo } = manualClock();
    const arrived: Buffer[] = [];
    const link = new ShapedLink({ bitsPerSecond: 8 * MBIT, oneWayDelayMs: 10 }, (bytes) => arrived.push(bytes), clock);
    const first = Buffer.alloc(3 * SEGMENT_BYTES + 5, 1);
    const second = Buffer.from('second');
    const firstArrives = link.send(first);
    advanceTo(1);
    // The link is still busy with `first`: `second` leaves after it, not 1 ms after it was sent.
    const secondArrives = link.send(second);
    expect(secondArrives).toBeGreaterThan(firstArrives);
    expect(secondArrives).toBeCloseTo(firstArrives + (second.length * 8 * 1000) / (8 * MBIT));
    advanceTo(secondArrives);
    expect(Buffer.concat(arrived).equals(Buffer.concat([first, second]))).toBe(true);
    expect(link.queuedBytes).toBe(0);
  });

  it('shares one line between links: what one sends waits behind what the other sent before', () => {
    const { clock, advanceTo } = manualClock();
    const line = new LineCapacity();
    const arrived: { link: string; at: number }[] = [];
    const shape = { bitsPerSecond: 8 * MBIT, oneWayDelayMs: 10 };
    const nothing = () => undefined;
    const first = new ShapedLink(shape, () => arrived.push({ link: 'first', at: clock.now() }), clock, nothing, line);
    const second = new ShapedLink(shape, () => arrived.push({ link: 'second', at: clock.now() }), clock, nothing, line);
    // 8 Mbit/s: 10,000 bytes take 10 ms on the line, whichever connection sends them.
    expect(first.send(Buffer.alloc(10_000))).toBe(10 + 10);
    expect(second.send(Buffer.alloc(10_000))).toBe(20 + 10);
    advanceTo(30);
    expect(arrived).toEqual([
      { link: 'first', at: 20 },
      { link: 'second', at: 30 },
    ]);
  });

  it('applies the delay to a small message on an idle link', () => {
    const { clock, advanceTo } = manualClock();
    const arrived: number[] = [];
    const link = new ShapedLink(
      { bitsPerSecond: 20 * MBIT, oneWayDelayMs: 25 },
      () => arrived.push(clock.now()),
      clock,
    );
    advanceTo(1000);
    link.send(Buffer.from('ping'));
    advanceTo(1024);
    expect(arrived).toEqual([]);
    advanceTo(1026);
    expect(arrived).toHaveLength(1);
    expect(arrived[0]).toBeGreaterThanOrEqual(1025);
  });

  it('delivers nothing after it is closed', () => {
    const { clock, advanceTo } = manualClock();
    const arrived: Buffer[] = [];
    const link = new ShapedLink({ bitsPerSecond: MBIT, oneWayDelayMs: 5 }, (bytes) => arrived.push(bytes), clock);
    link.send(Buffer.alloc(1000));
    link.close();
    advanceTo(1000);
    expect(arrived).toEqual([]);
  });

  it('holds what arrives while the receiver is full, and delivers it in order once it drained', () => {
    const { clock, advanceTo } = manualClock();
    const arrived: Buffer[] = [];
    let full = false;
    const link = new ShapedLink(
      { bitsPerSecond: 8 * MBIT, oneWayDelayMs: 10 },
      (bytes) => {
        arrived.push(bytes);
        // The receiver's buffer fills with the first segment, as a socket's write returning false says.
        if (arrived.length === 1) {
          full = true;
          link.holdDeliveries();
        }
      },
      clock,
    );
    const message = Buffer.alloc(3 * SEGMENT_BYTES);
    for (let index = 0; index < message.length; index++) message[index] = index % 253;
    const allArrive = link.send(message);
    advanceTo(allArrive + 100);
    expect(full).toBe(true);
    expect(arrived).toHaveLength(1);
    // Still counted as on the link, so the sending side stays paused behind it.
    expect(link.queuedBytes).toBe(2 * SEGMENT_BYTES);
    link.resumeDeliveries();
    expect(Buffer.concat(arrived).equals(message)).toBe(true);
    expect(link.queuedBytes).toBe(0);
  });

  it('refuses a link without bandwidth', () => {
    expect(() => new ShapedLink({ bitsPerSecond: 0, oneWayDelayMs: 5 }, () => undefined)).toThrow(/positive bit rate/);
  });
});

/** A server that writes `bytes` to each connection as fast as the connection takes them. */
async function floodServer(bytes: number) {
  const server = net.createServer((socket) => {
    socket.on('error', () => undefined);
    socket.end(Buffer.alloc(bytes, 7));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('TcpProxy with a shape', () => {
  it('holds the server back while the client reads nothing, as TCP does, instead of taking it all in', async () => {
    const SENT = 64 * 1024 * 1024;
    const server = await floodServer(SENT);
    // A fast link: only the client's reading may hold the server back.
    const proxy = await TcpProxy.start(server.url, { shape: { bitsPerSecond: 1000 * MBIT, roundTripMs: 0 } });
    const client = net.connect(Number(new URL(proxy.url).port), '127.0.0.1');
    client.pause();
    try {
      await new Promise((resolve) => client.once('connect', resolve));
      // Until the proxy stops taking bytes in: what it has written toward the client (its socket's buffer
      // included) stops growing.
      let written = -1;
      while (proxy.bytesToClients > written) {
        written = proxy.bytesToClients;
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      // The kernel's buffers, the link's window and one socket buffer: a few MB, not the 64 MB sent.
      expect(proxy.bytesToClients).toBeLessThan(SENT / 4);
      let received = 0;
      client.on('data', (chunk: Buffer) => (received += chunk.length));
      client.resume();
      await vi.waitFor(() => expect(received).toBe(SENT), { timeout: 30_000, interval: 50 });
    } finally {
      client.destroy();
      await proxy.close();
      await server.close();
    }
  });

  it('keeps one connection through twenty silent partitions without piling up listeners on its sockets', async () => {
    // An echo server: what the client sends comes back.
    const server = net.createServer((socket) => socket.pipe(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    const proxy = await TcpProxy.start(`http://127.0.0.1:${port}`, {
      shape: { bitsPerSecond: 100 * MBIT, roundTripMs: 2 },
    });
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
    process.on('warning', onWarning);
    const client = net.connect(Number(new URL(proxy.url).port), '127.0.0.1');
    let echoed = '';
    client.on('data', (chunk: Buffer) => (echoed += chunk.toString()));
    try {
      await new Promise((resolve) => client.once('connect', resolve));
      for (let round = 0; round < 20; round++) {
        const word = `round ${round};`;
        client.write(word);
        await vi.waitFor(() => expect(echoed.endsWith(word)).toBe(true), { timeout: 5_000, interval: 5 });
        proxy.setSilent(true);
        proxy.setSilent(false);
      }
      // Node warns once a socket holds more than ten listeners of one event (a leak, as each partition left one).
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((warning) => warning.includes('MaxListenersExceeded'))).toEqual([]);
    } finally {
      process.off('warning', onWarning);
      client.destroy();
      await proxy.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('carries every byte in order, no faster than the bandwidth and the round trip allow', async () => {
    const payload = Buffer.alloc(400_000);
    for (let index = 0; index < payload.length; index++) payload[index] = (index * 7) % 251;
    // An echo-like server: answers one request byte with the whole payload.
    const server = net.createServer((socket) => socket.once('data', () => socket.end(payload)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    const shape = { bitsPerSecond: 16 * MBIT, roundTripMs: 100 };
    const proxy = await TcpProxy.start(`http://127.0.0.1:${port}`, { shape });
    try {
      const started = performance.now();
      const received = await new Promise<Buffer>((resolve, reject) => {
        const chunks: Buffer[] = [];
        const socket = net.connect(Number(new URL(proxy.url).port), '127.0.0.1', () => socket.write('?'));
        socket.on('data', (chunk) => {
          chunks.push(chunk);
          if (Buffer.concat(chunks).length >= payload.length) {
            socket.destroy();
            resolve(Buffer.concat(chunks));
          }
        });
        socket.on('error', reject);
      });
      const elapsed = performance.now() - started;
      expect(received.equals(payload)).toBe(true);
      // 400 KB at 16 Mbit/s is 200 ms, plus a round trip for the request and the answer's first byte.
      const floor = (payload.length * 8 * 1000) / shape.bitsPerSecond + shape.roundTripMs;
      expect(elapsed).toBeGreaterThanOrEqual(floor * 0.95);
    } finally {
      await proxy.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
