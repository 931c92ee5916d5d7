import { createTRPCClient, TRPCClientError } from '@trpc/client';
import { afterEach, describe, expect, it } from 'vitest';
import { APP_ENTRY_URL, isAppFrame } from '../../main/electron/app-origin';
import { createIpcServer, type IpcServer } from '../../main/electron/ipc-server';
import { hasIpcBridge, ipcLink } from '../../renderer/src/api/ipc-link';
import { BRIDGE_NAME } from '../../shared/ipc-protocol';
import { connectWindow, type FakeWindow } from './ipc-harness';
import { createTestRouter, type TestRouter } from './test-router';

const appFrame = { url: APP_ENTRY_URL, parent: null };

function setUp() {
  const { router, ticks, state } = createTestRouter();
  const refused: string[] = [];
  const server = createIpcServer({
    router,
    createContext: () => ({}),
    isTrustedSender: (event) => isAppFrame(event),
    onRefused: (reason) => refused.push(reason),
  });
  const window = connectWindow(server, appFrame);
  const client = createTRPCClient<TestRouter>({ links: [ipcLink({ bridge: window.bridge })] });
  opened.push({ server, windows: [window] });
  return { server, window, client, ticks, state, refused };
}

const opened: { server: IpcServer; windows: FakeWindow[] }[] = [];
afterEach(async () => {
  for (const { server, windows } of opened.splice(0)) {
    await server.close();
    for (const window of windows) window.close();
  }
});

/** Collects a subscription's events and lets the test wait for the n-th one. */
function collector() {
  const values: unknown[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  return {
    values,
    push(value: unknown) {
      values.push(value);
      for (const waiter of waiters.filter((w) => values.length >= w.count)) waiter.resolve();
    },
    until(count: number) {
      return new Promise<void>((resolve) => {
        if (values.length >= count) resolve();
        else waiters.push({ count, resolve });
      });
    },
  };
}

async function errorOf(promise: Promise<unknown>): Promise<TRPCClientError<TestRouter>> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCClientError) return error as TRPCClientError<TestRouter>;
    throw error;
  }
  throw new Error('Expected the call to fail.');
}

describe('tRPC over IPC', () => {
  it('answers a query; values survive the structured clone', async () => {
    const { client } = setUp();
    const result = await client.echo.query({ text: 'hello' });
    expect(result).toEqual({ text: 'hello', at: new Date(0) });
  });

  it('runs a mutation whose effect the next query sees', async () => {
    const { client } = setUp();
    expect(await client.add.mutate(2)).toBe(2);
    expect(await client.add.mutate(3)).toBe(5);
    expect(await client.count.query()).toBe(5);
  });

  it("keeps the app's error code and message", async () => {
    const { client } = setUp();
    const error = await errorOf(client.missing.query());
    expect(error.message).toBe('No video with id v1: it may have been deleted permanently.');
    expect(error.data).toMatchObject({ appCode: 'NOT_FOUND', path: 'missing' });
  });

  it('reports invalid input as BAD_REQUEST without running the procedure', async () => {
    const { client, state } = setUp();
    const error = await errorOf(client.echo.query({ text: '' }));
    expect(error.data?.code).toBe('BAD_REQUEST');
    expect(state.queriesRun).toBe(0);
  });

  it('streams subscription events until the renderer unsubscribes, then ends the generator', async () => {
    const { client, server, ticks, state } = setUp();
    const events = collector();
    const started = collector();
    const subscription = client.ticks.subscribe(undefined, {
      onStarted: () => started.push('started'),
      onData: (value) => events.push(value),
    });
    await events.until(1);
    ticks.emit('tick', 'one');
    ticks.emit('tick', 'two');
    ticks.emit('tick', 'three');
    await events.until(4);
    expect(started.values).toEqual(['started']);
    expect(events.values).toEqual(['ready', 'one', 'two', 'three']);
    expect(server.activeCalls).toBe(1);

    subscription.unsubscribe();
    await state.subscriptionEnded.promise;
    expect(state.subscriptionsEnded).toBe(1);
    await expect.poll(() => server.activeCalls).toBe(0);
  });

  it('completes the subscription when the procedure ends it', async () => {
    const { client, ticks, server } = setUp();
    const events = collector();
    const completed = collector();
    client.ticks.subscribe(undefined, { onData: (v) => events.push(v), onComplete: () => completed.push(true) });
    await events.until(1);
    ticks.emit('tick', 'end');
    await completed.until(1);
    expect(events.values).toEqual(['ready']);
    expect(server.activeCalls).toBe(0);
  });

  it('delivers an error thrown inside a subscription with its app code', async () => {
    const { client, ticks } = setUp();
    const events = collector();
    const errors = collector();
    client.ticks.subscribe(undefined, { onData: (v) => events.push(v), onError: (e) => errors.push(e) });
    await events.until(1);
    ticks.emit('tick', 'fail');
    await errors.until(1);
    const error = errors.values[0] as TRPCClientError<TestRouter>;
    expect(error.message).toBe('Only admins may watch this.');
    expect(error.data?.appCode).toBe('FORBIDDEN');
  });

  it('passes tracked event ids through', async () => {
    const { client } = setUp();
    const events = collector();
    client.trackedTicks.subscribe(undefined, { onData: (v) => events.push(v) });
    await events.until(2);
    expect(events.values).toEqual([
      { id: 'event-1', data: { n: 1 } },
      { id: 'event-2', data: { n: 2 } },
    ]);
  });

  it('cancels a running query when the renderer aborts it', async () => {
    const { client, server, state } = setUp();
    const controller = new AbortController();
    const pending = client.slow.query(undefined, { signal: controller.signal });
    await state.slowStarted.promise;
    controller.abort();
    await expect(pending).rejects.toThrow('The call was cancelled.');
    await state.slowAborted.promise;
    await expect.poll(() => server.activeCalls).toBe(0);
  });

  it('answers a result IPC cannot copy with an error instead of leaving the call hanging', async () => {
    const { client } = setUp();
    const error = await errorOf(client.unclonable.query());
    expect(error.data?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(error.message).toMatch(/could not be sent to the window/);
  });

  it('ends the subscriptions of a window that is destroyed', async () => {
    const { client, server, window, state } = setUp();
    const events = collector();
    client.ticks.subscribe(undefined, { onData: (v) => events.push(v) });
    await events.until(1);
    window.destroy();
    await state.subscriptionEnded.promise;
    await expect.poll(() => server.activeCalls).toBe(0);
  });

  it('ends every subscription on close and refuses calls afterwards', async () => {
    const { client, server, state, refused } = setUp();
    const events = collector();
    client.ticks.subscribe(undefined, { onData: (v) => events.push(v) });
    await events.until(1);
    await server.close();
    expect(state.subscriptionsEnded).toBe(1);
    expect(server.activeCalls).toBe(0);
    void client.count.query().catch(() => undefined);
    await expect.poll(() => refused).toContain('The transport is closed.');
  });
});

describe('the bridge on the page', () => {
  it('is found where the preload exposed it, and used by default', async () => {
    const { window } = setUp();
    const page = globalThis as Record<string, unknown>;
    expect(hasIpcBridge()).toBe(false);
    expect(() => createTRPCClient<TestRouter>({ links: [ipcLink()] })).toThrow(/bridge is missing/);
    page[BRIDGE_NAME] = window.bridge;
    try {
      expect(hasIpcBridge()).toBe(true);
      const client = createTRPCClient<TestRouter>({ links: [ipcLink()] });
      expect(await client.add.mutate(1)).toBe(1);
    } finally {
      delete page[BRIDGE_NAME];
    }
  });
});

describe('IPC sender check', () => {
  it.each([
    ['a foreign page', { url: 'https://evil.example/', parent: null }],
    ['a file:// page', { url: 'file:///tmp/index.html', parent: null }],
    ['a subframe of the app', { url: APP_ENTRY_URL, parent: appFrame }],
    ['a frame that is gone', null],
  ])('refuses calls from %s without answering or running them', async (_name, frame) => {
    const { server, client, state, refused } = setUp();
    const intruder = connectWindow(server, frame);
    opened[opened.length - 1]!.windows.push(intruder);
    const intruderClient = createTRPCClient<TestRouter>({ links: [ipcLink({ bridge: intruder.bridge })] });

    void intruderClient.add.mutate(100).catch(() => undefined);
    await expect.poll(() => refused.length).toBe(1);
    // The app's own window is still served, after the intruder's message was handled.
    expect(await client.count.query()).toBe(0);
    expect(state.count).toBe(0);
    expect(intruder.received).toEqual([]);
    expect(refused[0]).toMatch(/not the app's/);
  });

  it('refuses malformed messages', async () => {
    const { server, window, refused } = setUp();
    void server;
    window.bridge.trpc.send({ id: 1, method: 'query' } as never);
    await expect.poll(() => refused.length).toBe(1);
    expect(refused[0]).toMatch(/^Malformed message/);
  });
});
