import {
  type AnyTRPCRouter,
  callTRPCProcedure,
  getTRPCErrorFromUnknown,
  getTRPCErrorShape,
  type inferRouterContext,
  isTrackedEnvelope,
  transformTRPCResponse,
  TRPCError,
} from '@trpc/server';
import { isObservable, observableToAsyncIterable } from '@trpc/server/observable';
import { parseTRPCMessage, type TRPCRequestMessage } from '@trpc/server/rpc';
import { type IpcServerMessage, TRPC_IPC_CHANNEL } from '../../shared/ipc-protocol';

/** The parts of Electron's `WebContents` the transport uses to answer a renderer. */
export interface IpcSender {
  readonly id: number;
  send(channel: string, message: IpcServerMessage): void;
  isDestroyed(): boolean;
  once(event: 'destroyed', listener: () => void): unknown;
}

/** The parts of Electron's `WebFrameMain` the sender check looks at. */
export interface IpcSenderFrame {
  readonly url: string;
  readonly parent: unknown;
}

/** The parts of Electron's `IpcMainEvent` the transport reads. */
export interface IpcRequestEvent {
  readonly sender: IpcSender;
  readonly senderFrame: IpcSenderFrame | null;
}

export interface IpcServerOptions<TRouter extends AnyTRPCRouter> {
  router: TRouter;
  createContext: () => inferRouterContext<TRouter> | Promise<inferRouterContext<TRouter>>;
  /** True when the message comes from one of the app's own frames; others are dropped unanswered. */
  isTrustedSender: (event: IpcRequestEvent) => boolean;
  /** Called for every procedure error, for logging. */
  onError?: (error: TRPCError, call: { path: string | undefined; type: string }) => void;
  /** Called for every message dropped: untrusted frame or malformed message. */
  onRefused?: (reason: string, event: IpcRequestEvent) => void;
}

export interface IpcServer {
  /** Give it every message that arrives on `TRPC_IPC_CHANNEL`. */
  handleMessage(event: IpcRequestEvent, message: unknown): void;
  /** Cancels every call of one renderer: it reloaded, navigated or crashed. */
  releaseSender(senderId: number): Promise<void>;
  /** Cancels every call and refuses new ones; resolves once every call has ended. */
  close(): Promise<void>;
  /** Calls in flight (queries, mutations and open subscriptions). */
  readonly activeCalls: number;
}

interface Call {
  senderId: number;
  controller: AbortController;
  finished: Promise<void>;
}

/**
 * The main-process side of tRPC over IPC: runs queries, mutations and subscriptions of `router`
 * for the renderers, with cancellation, and errors shaped by the router's error formatter (so the
 * app's codes travel with them). It never touches Electron itself; `main/index.ts` wires it to `ipcMain`.
 */
export function createIpcServer<TRouter extends AnyTRPCRouter>(options: IpcServerOptions<TRouter>): IpcServer {
  const { router, createContext } = options;
  const config = router._def._config;
  const calls = new Map<string, Call>();
  const watchedSenders = new Set<number>();
  let closed = false;

  const keyOf = (senderId: number, id: string | number) => `${senderId}\u0000${String(id)}`;

  /** Sends one message; false when the window is gone or the payload cannot cross IPC. */
  function respond(sender: IpcSender, message: IpcServerMessage): boolean {
    if (sender.isDestroyed()) return false;
    try {
      sender.send(TRPC_IPC_CHANNEL, transformTRPCResponse(config, message) as IpcServerMessage);
      return true;
    } catch (cause) {
      // NOTE: IPC uses structured clone; a value it cannot copy (a function, a class with private
      // state) throws here. Answer with an error rather than leave the renderer waiting forever.
      if ('error' in message) return false;
      const error = new TRPCError({
        code: 'INTERNAL_SERVER_ERROR',
        message: `The result could not be sent to the window: ${cause instanceof Error ? cause.message : String(cause)}`,
        cause,
      });
      respond(sender, { id: message.id, error: shapeOf(error, undefined, 'unknown', undefined, undefined) });
      return false;
    }
  }

  function shapeOf(error: TRPCError, path: string | undefined, type: string, input: unknown, ctx: unknown) {
    options.onError?.(error, { path, type });
    return getTRPCErrorShape({
      config,
      error,
      type: type as 'query' | 'mutation' | 'subscription' | 'unknown',
      path,
      input,
      ctx: ctx as inferRouterContext<TRouter> | undefined,
    });
  }

  function watchSender(sender: IpcSender): void {
    if (watchedSenders.has(sender.id)) return;
    watchedSenders.add(sender.id);
    const senderId = sender.id;
    sender.once('destroyed', () => {
      watchedSenders.delete(senderId);
      void releaseSender(senderId);
    });
  }

  async function runCall(sender: IpcSender, request: TRPCRequestMessage, signal: AbortSignal): Promise<void> {
    const { id, method: type } = request;
    const { path, lastEventId } = request.params;
    let input = request.params.input;
    if (lastEventId !== undefined) {
      input = isPlainObject(input) ? { ...input, lastEventId } : (input ?? { lastEventId });
    }
    let ctx: unknown;
    try {
      ctx = await createContext();
      const result: unknown = await callTRPCProcedure({
        router,
        path,
        getRawInput: async () => input,
        ctx,
        type,
        signal,
        batchIndex: 0,
      });
      if (type !== 'subscription') {
        if (!signal.aborted) respond(sender, { id, result: { type: 'data', data: result } });
        return;
      }
      const iterable = isObservable(result) ? observableToAsyncIterable(result, signal) : result;
      if (!isAsyncIterable(iterable)) {
        throw new TRPCError({
          code: 'INTERNAL_SERVER_ERROR',
          message: `Subscription ${path} did not return an async iterable.`,
        });
      }
      respond(sender, { id, result: { type: 'started' } });
      await pump(sender, id, iterable, signal);
      respond(sender, { id, result: { type: 'stopped' } });
    } catch (cause) {
      // A cancelled call has no listener left; its abort error is expected, not news.
      if (signal.aborted) return;
      const error = getTRPCErrorFromUnknown(cause);
      respond(sender, { id, error: shapeOf(error, path, type, input, ctx) });
    }
  }

  async function pump(
    sender: IpcSender,
    id: IpcServerMessage['id'],
    iterable: AsyncIterable<unknown>,
    signal: AbortSignal,
  ): Promise<void> {
    const iterator = iterable[Symbol.asyncIterator]();
    const aborted = new Promise<'aborted'>((resolve) => {
      if (signal.aborted) resolve('aborted');
      signal.addEventListener('abort', () => resolve('aborted'), { once: true });
    });
    try {
      for (;;) {
        const pending = iterator.next();
        // The race may leave `pending` behind; its rejection after an abort is expected.
        pending.catch(() => undefined);
        const next = await Promise.race([pending, aborted]);
        if (next === 'aborted' || next.done) return;
        const value: unknown = next.value;
        const sent = isTrackedEnvelope(value)
          ? respond(sender, { id, result: { type: 'data', id: value[0], data: { id: value[0], data: value[1] } } })
          : respond(sender, { id, result: { type: 'data', data: value } });
        if (!sent) return;
      }
    } finally {
      // NOTE: an async generator's `return()` waits for a pending `next()`. Procedures get the call's
      // abort signal (tRPC passes it as `signal`) and must stop waiting when it fires.
      await iterator.return?.();
    }
  }

  function handleMessage(event: IpcRequestEvent, raw: unknown): void {
    if (closed) return options.onRefused?.('The transport is closed.', event);
    if (!options.isTrustedSender(event)) {
      return options.onRefused?.(
        `Message from a frame that is not the app's (${event.senderFrame?.url ?? 'gone'}).`,
        event,
      );
    }
    let message;
    try {
      message = parseTRPCMessage(raw, config.transformer);
    } catch (cause) {
      return options.onRefused?.(`Malformed message: ${cause instanceof Error ? cause.message : String(cause)}`, event);
    }
    if (message.id === null) return options.onRefused?.('Message without an id.', event);
    const { sender } = event;
    const key = keyOf(sender.id, message.id);
    if (message.method === 'subscription.stop') {
      calls.get(key)?.controller.abort();
      return;
    }
    if (calls.has(key)) {
      const error = new TRPCError({ code: 'BAD_REQUEST', message: `Duplicate call id ${String(message.id)}.` });
      respond(sender, {
        id: message.id,
        error: shapeOf(error, message.params.path, message.method, undefined, undefined),
      });
      return;
    }
    watchSender(sender);
    const controller = new AbortController();
    const call: Call = { senderId: sender.id, controller, finished: Promise.resolve() };
    calls.set(key, call);
    call.finished = runCall(sender, message as TRPCRequestMessage, controller.signal).finally(() => {
      if (calls.get(key) === call) calls.delete(key);
    });
  }

  async function releaseSender(senderId: number): Promise<void> {
    const ending = [...calls.values()].filter((call) => call.senderId === senderId);
    for (const call of ending) call.controller.abort();
    await Promise.allSettled(ending.map((call) => call.finished));
  }

  async function close(): Promise<void> {
    closed = true;
    const ending = [...calls.values()];
    for (const call of ending) call.controller.abort();
    await Promise.allSettled(ending.map((call) => call.finished));
  }

  return {
    handleMessage,
    releaseSender,
    close,
    get activeCalls() {
      return calls.size;
    },
  };
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
