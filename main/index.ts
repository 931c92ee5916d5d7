import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import {
  app,
  BrowserWindow,
  clipboard,
  crashReporter,
  dialog,
  ipcMain,
  Menu,
  Notification,
  protocol,
  safeStorage,
  screen,
  session,
  shell,
  type WebContents,
} from 'electron';
import log from 'electron-log/main';
import electronUpdater from 'electron-updater';
import { TRPC_IPC_CHANNEL } from '../shared/ipc-protocol';
import { openCore } from './core';
import { parsePendingSignOuts, type CredentialStore } from './sync';
import { APP_ENTRY_URL, APP_SCHEME, isAppFrame, isAppUrl } from './electron/app-origin';
import { createAppProtocolHandler } from './electron/app-protocol';
import { contentSecurityPolicy } from './electron/csp';
import { alertSourceOf, startDesktopAlerts } from './electron/desktop-alerts-wiring';
import { setUpMainLog, startDesktopServices, withUpdates } from './electron/desktop-services';
import { addressOf, createLinkRouter, protocolClientArgs } from './electron/entry-links';
import { guardWebContents, limitPermissions } from './electron/hardening';
import { createIpcServer, type IpcServer } from './electron/ipc-server';
import { buildMenuTemplate } from './electron/menu';
import { createMenuActions, type MenuDialogs } from './electron/menu-actions';
import { menuCoreOf } from './electron/menu-core';
import { createEncryptedTokenStore, type StringEncryption, type TokenStore } from './electron/token-store';
import { loadDatabaseKey } from './electron/database-key';
import { WINDOW_SIZE, windowOptions } from './electron/window-options';
import { restoreWindow } from './electron/window-state';
import { readWindowState, trackWindowState, WINDOW_STATE_FILE } from './electron/window-state-store';

// The Electron entry point, and the only file in main/ that imports `electron`: it wires the
// plain-Node pieces in main/electron/ to Electron's objects.

/** Set by electron-vite in development; installed builds load the renderer from app://. */
const devServerUrl = process.env.ELECTRON_RENDERER_URL;
/** Tests (and users with several profiles) point the app at another data folder. */
if (process.env.CURIO_USER_DATA) app.setPath('userData', process.env.CURIO_USER_DATA);

// A rotating log file (console output goes there too) and local crash dumps, both in Help ▸ Copy Diagnostics.
const mainLog = setUpMainLog(log);
crashReporter.start({ uploadToServer: false });

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

/** The page every window loads; an entry link adds the entry's route as its hash. */
const pageUrl = devServerUrl ?? APP_ENTRY_URL;
/** Set once the window exists; links wait in the router until then. */
let entryOpener: { open: (url: string) => void; refuse: (error: string) => void } | null = null;
const links = createLinkRouter({
  open: (target) => entryOpener?.open(addressOf(pageUrl, target)),
  refuse: (error) => entryOpener?.refuse(error),
});

if (!app.requestSingleInstanceLock()) {
  // Another Curio owns this data folder; it brings its window forward and opens the link ('second-instance').
  app.quit();
} else {
  // NOTE: development runs (and every e2e run) leave the OS's curio: handler alone unless asked to.
  if (app.isPackaged || process.env.CURIO_REGISTER_LINKS === '1') {
    app.setAsDefaultProtocolClient(
      ...protocolClientArgs({
        defaultApp: Boolean(process.defaultApp),
        execPath: process.execPath,
        argv: process.argv,
      }),
    );
  }
  // macOS hands links over by event, possibly before 'ready'; Windows and Linux start us with the link in argv.
  app.on('open-url', (event, url) => {
    event.preventDefault();
    links.receive(url);
  });
  links.receiveArgs(process.argv);
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
    dailySnapshots: true,
    // The profile's files and snapshots are encrypted with a key the OS keyring holds (or stay plain, with a notice).
    encryption: await loadDatabaseKey({ file: join(userData, 'database-key.json'), encryption: osEncryption }),
  });

  const ipc = createIpcServer({
    router: core.router,
    createContext: () => withUpdates(core.context, desktop.updates),
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
  limitPermissions(session.defaultSession);
  app.on('web-contents-created', (_event, contents) =>
    guardWebContents(contents, {
      isAppUrl: (url) => isAppUrl(url, devServerUrl),
      openExternal: (url) => void shell.openExternal(url),
    }),
  );

  const openWindow = () => createWindow(ipc, join(userData, WINDOW_STATE_FILE));
  let window = openWindow();
  const bringForward = () => {
    if (window.isDestroyed()) window = openWindow();
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  };
  app.on('second-instance', (_event, argv) => {
    bringForward();
    links.receiveArgs(argv);
  });
  entryOpener = {
    open(url) {
      bringForward();
      // A hash change only: the page routes it without reloading (see renderer/src/state/entry-route.ts).
      window.loadURL(url).catch(ignoreAborted);
    },
    refuse(error) {
      bringForward();
      void dialog.showMessageBox(window, { type: 'warning', message: 'Curio cannot open that link.', detail: error });
    },
  };
  links.ready();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) window = openWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  const electron = { app, dialog, shell, clipboard };
  const { autoUpdater: updater } = electronUpdater;
  const desktop = startDesktopServices({ electron, updater, mainLog, core, owner: () => window });
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
          ...desktop.commands,
        },
      }),
    ),
  );

  const alerts = startDesktopAlerts({
    source: alertSourceOf(core.context),
    output: {
      notify({ title, body }) {
        if (!Notification.isSupported()) return;
        const notification = new Notification({ title, body });
        notification.on('click', bringForward);
        notification.show();
      },
      setBadge: (count) => void app.setBadgeCount(count),
    },
  });

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
        alerts.stop();
        desktop.stop();
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

/**
 * The sync client's refresh token and the sign-outs still to be sent (their refresh tokens), kept by
 * `safeStorage` (or in memory where the OS cannot encrypt).
 */
function credentialsIn(tokens: TokenStore): CredentialStore {
  const name = 'sync-refresh-token';
  const signOuts = 'sync-pending-sign-outs';
  return {
    load: () => tokens.get(name),
    save: (token) => (token === null ? tokens.delete(name) : tokens.set(name, token)),
    loadSignOuts: async () => parsePendingSignOuts(await tokens.get(signOuts)),
    saveSignOuts: (list) => (list.length === 0 ? tokens.delete(signOuts) : tokens.set(signOuts, JSON.stringify(list))),
  };
}

/** The main window, where it was the last time these displays were attached (window-state.ts). */
function createWindow(ipc: IpcServer, stateFile: string): BrowserWindow {
  const displays = () => screen.getAllDisplays();
  const place = restoreWindow(readWindowState(stateFile), displays(), screen.getPrimaryDisplay(), WINDOW_SIZE);
  const window = new BrowserWindow(
    windowOptions({
      preloadPath: join(import.meta.dirname, '../preload/index.cjs'),
      devTools: !app.isPackaged,
      iconPath: join(app.getAppPath(), 'resources', 'icon-1024.png'),
      bounds: place.bounds,
    }),
  );
  window.once('ready-to-show', () => {
    if (place.maximized) window.maximize();
    window.show();
  });
  trackWindowState({ file: stateFile, window, displays });
  releaseCallsOnReload(window.webContents, ipc);
  window.loadURL(pageUrl).catch(ignoreAborted);
  return window;
}

/** A load replaced by another (an entry link arriving during start-up) is no failure. */
function ignoreAborted(error: unknown): void {
  if ((error as { code?: string }).code !== 'ERR_ABORTED') console.warn('Curio could not load its page:', error);
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
