import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  BRIDGE_NAME,
  type CurioBridge,
  type IpcClientMessage,
  type IpcServerMessage,
  TRPC_IPC_CHANNEL,
} from '../shared/ipc-protocol';

/**
 * The whole surface the renderer gets from Electron: the tRPC channel, nothing else. The channel
 * name is fixed here, and the IPC event (which would hand the page `ipcRenderer` itself) never
 * reaches the page: listeners receive the message only.
 */
const bridge = {
  trpc: {
    send(message: IpcClientMessage): void {
      ipcRenderer.send(TRPC_IPC_CHANNEL, message);
    },
    onMessage(listener: (message: IpcServerMessage) => void): () => void {
      const forward = (_event: IpcRendererEvent, message: IpcServerMessage) => listener(message);
      ipcRenderer.on(TRPC_IPC_CHANNEL, forward);
      return () => {
        ipcRenderer.removeListener(TRPC_IPC_CHANNEL, forward);
      };
    },
  },
} satisfies CurioBridge;

contextBridge.exposeInMainWorld(BRIDGE_NAME, bridge);
