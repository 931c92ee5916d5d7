import { existsSync } from 'node:fs';
import { release, type } from 'node:os';
import type { App, BrowserWindow, Clipboard, Dialog, Shell } from 'electron';
import type { Core } from '../core';
import { collectDiagnostics, createHelpActions } from './help-actions';
import type { MainLogSetUp } from './logging';
import type { HelpCommands } from './menu';
import { createUpdateOffers } from './update-offers';
import { serverRefusesVersion, updateFeedOf, updateHostOf, type AutoUpdater } from './update-wiring';
import { createUpdateController, type DesktopUpdates } from './updates';

export { setUpMainLog } from './logging';
export { withUpdates } from './update-wiring';

export interface DesktopServicesOptions {
  /** Electron's modules, passed in so that only main/index.ts loads electron. */
  electron: { app: App; dialog: Dialog; shell: Shell; clipboard: Clipboard };
  /** electron-updater's autoUpdater. */
  updater: AutoUpdater & { logger: unknown; setFeedURL(options: { provider: 'generic'; url: string }): void };
  mainLog: MainLogSetUp;
  core: Core;
  owner(): BrowserWindow;
}

/**
 * Updates (installed builds: a development run has nothing to update) and the Help menu's diagnostics,
 * wired to Electron's dialogs, shell and clipboard. Returns the Help menu's commands.
 */
export function startDesktopServices(options: DesktopServicesOptions): {
  commands: HelpCommands;
  updates: DesktopUpdates;
  stop(): void;
} {
  const { app, dialog, shell, clipboard } = options.electron;
  const { updater, core, owner } = options;
  const { log, errors } = options.mainLog;
  const inform = async (info: { kind?: 'info' | 'error'; message: string; detail?: string }) => {
    await dialog.showMessageBox(owner(), { type: info.kind ?? 'info', message: info.message, detail: info.detail });
  };

  // CURIO_UPDATE_URL at run time overrides the feed built in (app-update.yml), e.g. to try a feed locally.
  if (process.env.CURIO_UPDATE_URL) updater.setFeedURL({ provider: 'generic', url: process.env.CURIO_UPDATE_URL });
  updater.logger = log;
  const updates = createUpdateController(updateFeedOf(updater), updateHostOf(core));
  const offers = createUpdateOffers(updates, {
    async offerRestart({ message, detail }) {
      const answer = await dialog.showMessageBox(owner(), {
        type: 'info',
        message,
        detail,
        buttons: ['Restart to Update', 'Later'],
        defaultId: 0,
        cancelId: 1,
      });
      return answer.response === 0;
    },
    inform,
  });
  const watch = core.context.sync.status$.subscribe((status) =>
    updates.serverNeedsUpdate(serverRefusesVersion(status)),
  );
  if (app.isPackaged) updates.start();

  const logFile = () => {
    const path = log.transports.file.getFile().path;
    return existsSync(path) ? path : null;
  };
  const help = createHelpActions(
    {
      logFile,
      showItemInFolder: (path) => shell.showItemInFolder(path),
      writeClipboard: (text) => clipboard.writeText(text),
      inform: (info) => inform(info),
    },
    () =>
      collectDiagnostics({
        core: core.context,
        app: { version: app.getVersion(), packaged: app.isPackaged },
        versions: { ...pick(process.versions, ['electron', 'chrome', 'node', 'v8']), os: `${type()} ${release()}` },
        dataFolder: core.context.dataDir,
        logFile,
        crashDumpsFolder: app.getPath('crashDumps'),
        errors,
      }),
  );

  return {
    updates,
    commands: {
      checkForUpdates: () =>
        void (app.isPackaged
          ? offers.checkForUpdates()
          : inform({
              message: 'Updates come to installed Curio.',
              detail: 'This is a development run (npm start); installers from `npm run dist` update themselves.',
            })),
      showLogFile: () => void help.showLogFile(),
      copyDiagnostics: () => void help.copyDiagnostics(),
    },
    stop() {
      watch.unsubscribe();
      offers.stop();
      updates.stop();
    },
  };
}

const pick = (from: Record<string, string | undefined>, keys: string[]) =>
  Object.fromEntries(keys.map((key) => [key, from[key]]));
