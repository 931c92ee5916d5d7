import { TRPCClientError, type TRPCLink } from '@trpc/client';
import { getTransformer } from '@trpc/client/unstable-internals';
import type { AnyTRPCRouter } from '@trpc/server';
import { observable } from '@trpc/server/observable';
import { type DataTransformerOptions, transformResult } from '@trpc/server/unstable-core-do-not-import';
import { BRIDGE_NAME, type CurioBridge, type IpcServerMessage } from '../../../shared/ipc-protocol';

export interface IpcLinkOptions {
  /** The bridge to talk through; defaults to the one the preload exposes on `window`. */
  bridge?: CurioBridge;
  /** Must match the router's transformer, as with every tRPC link. */
  transformer?: DataTransformerOptions;
}

function exposedBridge(): CurioBridge | undefined {
  const candidate = (globalThis as Record<string, unknown>)[BRIDGE_NAME] as Partial<CurioBridge> | undefined;
  return typeof candidate?.trpc?.send === 'function' ? (candidate as CurioBridge) : undefined;
}

/** True inside the Electron window, where the preload exposed the tRPC channel. */
export function hasIpcBridge(): boolean {
  return exposedBridge() !== undefined;
}

/**
 * The renderer side of tRPC over IPC: a terminating link that sends each operation through the
 * preload's bridge and turns the main process's answers back into results, subscription events
 * and `TRPCClientError`s (whose `data.appCode` is the app's error code). Unsubscribing cancels
 * the call in the main process.
 */
export function ipcLink<TRouter extends AnyTRPCRouter>(options: IpcLinkOptions = {}): TRPCLink<TRouter> {
  const transformer = getTransformer(options.transformer);
  return () => {
    const bridge = options.bridge ?? exposedBridge();
    if (!bridge) {
      throw new Error(
        'The Electron bridge is missing: ipcLink works only in the desktop app (use the WebSocket link in a browser).',
      );
    }
    // NOTE: ids are unique per link instance and page, so calls of a reloaded page never mix with
    // answers still in flight for the previous one.
    const prefix = Math.random().toString(36).slice(2, 10);
    let counter = 0;
    const handlers = new Map<string, (message: IpcServerMessage) => void>();
    let stopListening: (() => void) | null = null;

    function listen(): void {
      stopListening ??= bridge!.trpc.onMessage((message) => handlers.get(String(message.id))?.(message));
    }

    return ({ op }) =>
      observable((observer) => {
        const id = `${prefix}:${++counter}`;
        let settled = false;
        const settle = () => {
          settled = true;
          handlers.delete(id);
        };

        handlers.set(id, (message) => {
          let transformed;
          try {
            transformed = transformResult(message, transformer.output);
          } catch (cause) {
            settle();
            observer.error(TRPCClientError.from(cause instanceof Error ? cause : new Error(String(cause))));
            return;
          }
          if (!transformed.ok) {
            settle();
            observer.error(TRPCClientError.from(transformed.error));
            return;
          }
          const { result } = transformed;
          if (op.type !== 'subscription') {
            settle();
            observer.next({ result });
            observer.complete();
          } else if (result.type === 'stopped') {
            settle();
            observer.complete();
          } else {
            observer.next({ result });
          }
        });
        listen();
        bridge.trpc.send({
          id,
          method: op.type,
          params: { path: op.path, input: transformer.input.serialize(op.input) },
        });

        const cancel = () => {
          if (settled) return;
          settle();
          bridge.trpc.send({ id, method: 'subscription.stop' });
        };
        // tRPC 11 leaves honouring the caller's abort signal to the terminating link.
        const onAbort = () => {
          cancel();
          observer.error(TRPCClientError.from(new DOMException('The call was cancelled.', 'AbortError')));
        };
        if (op.signal?.aborted) onAbort();
        op.signal?.addEventListener('abort', onAbort, { once: true });

        return () => {
          op.signal?.removeEventListener('abort', onAbort);
          cancel();
        };
      });
  };
}
