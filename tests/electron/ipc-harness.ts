import { EventEmitter } from 'node:events';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import type { IpcServer, IpcSender } from '../../main/electron/ipc-server';
import { type CurioBridge, type IpcServerMessage, TRPC_IPC_CHANNEL } from '../../shared/ipc-protocol';

interface Envelope {
  channel: string;
  message: unknown;
}

/**
 * Electron's IPC, played by a real MessageChannel (structured clone, like IPC): the renderer end is
 * a bridge shaped exactly like the preload's, the main end feeds the IPC server as `ipcMain` would.
 */
export interface FakeWindow {
  bridge: CurioBridge;
  /** Every message the main process sent to this window. */
  received: IpcServerMessage[];
  /** Fires Electron's 'destroyed' on the sender, as when the window closes. */
  destroy(): void;
  close(): void;
}

let nextSenderId = 1;

export function connectWindow(server: IpcServer, frame: { url: string; parent: unknown } | null): FakeWindow {
  const { port1: rendererPort, port2: mainPort } = new MessageChannel();
  const events = new EventEmitter();
  let destroyed = false;
  const received: IpcServerMessage[] = [];

  const sender: IpcSender = {
    id: nextSenderId++,
    send: (channel, message) => mainPort.postMessage({ channel, message } satisfies Envelope),
    isDestroyed: () => destroyed,
    once: (event, listener) => events.once(event, listener),
  };
  mainPort.on('message', ({ channel, message }: Envelope) => {
    if (channel === TRPC_IPC_CHANNEL) server.handleMessage({ sender, senderFrame: frame }, message);
  });

  const listeners = new Set<(message: IpcServerMessage) => void>();
  rendererPort.on('message', ({ channel, message }: Envelope) => {
    if (channel !== TRPC_IPC_CHANNEL) return;
    received.push(message as IpcServerMessage);
    for (const listener of listeners) listener(message as IpcServerMessage);
  });

  const bridge: CurioBridge = {
    trpc: {
      send: (message) => rendererPort.postMessage({ channel: TRPC_IPC_CHANNEL, message } satisfies Envelope),
      onMessage(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
  };

  return {
    bridge,
    received,
    destroy() {
      destroyed = true;
      events.emit('destroyed');
    },
    close() {
      closePorts(rendererPort, mainPort);
    },
  };
}

function closePorts(...ports: MessagePort[]): void {
  for (const port of ports) port.close();
}
