import type { TRPCClientOutgoingMessage, TRPCResponseMessage } from '@trpc/server/rpc';

/**
 * The tRPC-over-IPC contract shared by the main process, the preload and the renderer.
 * Messages are tRPC's own JSON-RPC messages (the ones its WebSocket link speaks), carried
 * over one Electron IPC channel; ids are strings unique per renderer page.
 */
export const TRPC_IPC_CHANNEL = 'curio:trpc';

/** The name under which the preload exposes its bridge on `window`. */
export const BRIDGE_NAME = 'curio';

/** A request, mutation, subscription or cancellation sent by the renderer. */
export type IpcClientMessage = TRPCClientOutgoingMessage;
/** A result, subscription event, stop notice or error sent by the main process. */
export type IpcServerMessage = TRPCResponseMessage;

/**
 * The one object the preload exposes: the tRPC channel and nothing else.
 * `onMessage` returns the function that removes the listener.
 */
export interface CurioBridge {
  trpc: {
    send(message: IpcClientMessage): void;
    onMessage(listener: (message: IpcServerMessage) => void): () => void;
  };
}
