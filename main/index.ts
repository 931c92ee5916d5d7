import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  protocol,
  safeStorage,
  session,
  shell,
  type WebContents,
} from 'electron';
import { TRPC_IPC_CHANNEL } from '../shared/ipc-protocol';
import { openCore } from './core';
import type { CredentialStore } from './sync';
import { APP_ENTRY_URL, APP_SCHEME, isAppFrame, isAppUrl } from './electron/app-origin';
import { createAppProtocolHandler } from './electron/app-protocol';
import { contentSecurityPolicy } from './electron/csp';
import { denyAllPermissions, guardWebContents } from './electron/hardening';
import { createIpcServer, type IpcServer } from './electron/ipc-server';
import { buildMenuTemplate } from './electron/menu';
import { createMenuActions, type MenuDialogs } from './electron/menu-actions';
import { menuCoreOf } from './electron/menu-core';
import { createEncryptedTokenStore, type StringEncryption, type TokenStore } from './electron/token-store';
import { windowOptions } from './electron/window-options';

// The Electron entry point, and the only file in main/ that imports `electron`: it wires the
// plain-Node pieces in main/electron/ to Electron's objects.

/** Set by electron-vite in development; installed builds load the renderer from app://. */
const devServerUrl = process.env.ELECTRON_RENDERER_URL;
/** Tests (and users with several profiles) point the app at another data folder. */
if (process.env.CURIO_USER_DATA) app.setPath('userData', process.env.CURIO_USER_DATA);

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

/** safeStorage, counted as unavailable where Linux would only obfuscate (no keyring). */
const osEncryption: StringEncryption = {
  isEncryptionAvailable: () =>
    safeStorage.isEncryptionAvailable() &&
    !(process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text'),
  encryptString: (text) => safeStorage.encryptString(text),
  decryptString: (data) => safeStorage.decryptString(data),
};

if (!app.requestSingleInstanceLock()) {
  // Another Curio owns this data folder; it brings its window forward ('second-instance').
  app.quit();
} else {
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      // No window to show it in yet: a native box, then out (a second start would meet the same problem).
      dialog.showErrorBox('Curio could not start', error instanceof Error ? error.message : String(error));
      app.exit(1);
    });
}

async function start(): Promise<void> {
  const userData = app.getPath('userData');
  const name = userInfo().username || 'Local user';
  const tokens = createEncryptedTokenStore({ file: join(userData, 'tokens.json'), encryption: osEncryption });
  const core = await openCore({
    dataDir: join(userData, 'profile'),
    // NOTE: without a server the local user is admin of their own data (same actor as browser mode).
    actor: { id: `local:${name}`, name, role: 'admin' },
    deviceName: hostname(),
    sync: { credentials: credentialsIn(tokens) },
  });

  const ipc = createIpcServer({
    router: core.router,
    createContext: () => core.context,
    isTrustedSender: (event) => isAppFrame(event, devServerUrl),
    onRefused: (reason) => console.warn(`Curio refused an IPC message: ${reason}`),
  });
  ipcMain.on(TRPC_IPC_CHANNEL, (event, message) => ipc.handleMessage(event, message));

  const csp = contentSecurityPolicy({ devServerUrl });
  protocol.handle(APP_SCHEME, createAppProtocolHandler({ rendererDir: join(import.meta.dirname, '../renderer'), csp }));
  if (devServerUrl) {
    // The dev server's pages get the same policy (plus hot reload) through response headers.
    session.defaultSession.webRequest.onHeadersReceived((details, callback) =>
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } }),
    );
  }
  denyAllPermissions(session.defaultSession);
  app.on('web-contents-created', (_event, contents) =>
    guardWebContents(contents, {
      isAppUrl: (url) => isAppUrl(url, devServerUrl),
      openExternal: (url) => void shell.openExternal(url),
    }),
  );

  const openWindow = () => createWindow(ipc);
  let window = openWindow();
  app.on('second-instance', () => {
    if (window.isDestroyed()) window = openWindow();
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) window = openWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  const actions = createMenuActions(
    menuCoreOf(core),
    nativeDialogs(() => window),
  );
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      buildMenuTemplate({
        platform: process.platform,
        devTools: !app.isPackaged,
        commands: {
          importEntries: (type) => void actions.importEntries(type),
          exportEntries: (type) => void actions.exportEntries(type),
          backUp: () => void actions.backUp(),
          restoreBackup: () => void actions.restoreBackup(),
        },
      }),
    ),
  );

  // Clean shutdown: end the renderer's calls and subscriptions, then close the core (which stops
  // sync and closes the database), then really quit.
  let closing = false;
  let closed = false;
  app.on('before-quit', (event) => {
    if (closed) return;
    event.preventDefault();
    if (closing) return;
    closing = true;
    void (async () => {
      try {
        await ipc.close();
        await core.close();
      } catch (error) {
        console.error('Curio did not shut down cleanly:', error);
      } finally {
        closed = true;
        app.quit();
      }
    })();
  });
}

/** The sync client's refresh token, kept by `safeStorage` (or in memory where the OS cannot encrypt). */
function credentialsIn(tokens: TokenStore): CredentialStore {
  const name = 'sync-refresh-token';
  return {
    load: () => tokens.get(name),
    save: (token) => (token === null ? tokens.delete(name) : tokens.set(name, token)),
  };
}

function createWindow(ipc: IpcServer): BrowserWindow {
  const window = new BrowserWindow(
    windowOptions({
      preloadPath: join(import.meta.dirname, '../preload/index.cjs'),
      devTools: !app.isPackaged,
      iconPath: join(app.getAppPath(), 'resources', 'icon-1024.png'),
    }),
  );
  window.once('ready-to-show', () => window.show());
  releaseCallsOnReload(window.webContents, ipc);
  void window.loadURL(devServerUrl ?? APP_ENTRY_URL);
  return window;
}

/** A reloaded or crashed page has no listeners left: end its calls (ids never collide, see ipcLink). */
function releaseCallsOnReload(contents: WebContents, ipc: IpcServer): void {
  const id = contents.id;
  contents.on('did-navigate', () => void ipc.releaseSender(id));
  contents.on('render-process-gone', () => void ipc.releaseSender(id));
}

function nativeDialogs(owner: () => BrowserWindow): MenuDialogs {
  return {
    async openFile({ title, filters }) {
      const result = await dialog.showOpenDialog(owner(), { title, filters, properties: ['openFile'] });
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    async saveFile({ title, defaultName, filters }) {
      const result = await dialog.showSaveDialog(owner(), {
        title,
        defaultPath: join(app.getPath('documents'), defaultName),
        filters,
      });
      return result.canceled ? null : (result.filePath ?? null);
    },
    async confirm({ message, detail, confirmLabel }) {
      const result = await dialog.showMessageBox(owner(), {
        type: 'question',
        message,
        detail,
        buttons: [confirmLabel, 'Cancel'],
        defaultId: 0,
        cancelId: 1,
      });
      return result.response === 0;
    },
    async inform({ kind, message, detail }) {
      await dialog.showMessageBox(owner(), { type: kind, message, detail, buttons: ['OK'] });
    },
  };
}
