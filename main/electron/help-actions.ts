import type { CoreContext } from '../core';
import { diagnosticsText, listCrashDumps, type DiagnosticsFacts, type RecentErrors } from './diagnostics';

/** What the Help menu needs from Electron, as `main/index.ts` provides it. */
export interface HelpHost {
  /** The main process's log file, or null before anything was logged. */
  logFile(): string | null;
  showItemInFolder(path: string): void;
  writeClipboard(text: string): void;
  inform(options: { kind: 'info' | 'error'; message: string; detail?: string }): Promise<void>;
}

/** Where the facts come from: the running core, the app's paths and versions, the errors logged so far. */
export interface DiagnosticsSource {
  core: Pick<CoreContext, 'sync'>;
  app: DiagnosticsFacts['app'];
  versions: DiagnosticsFacts['versions'];
  dataFolder: string;
  logFile(): string | null;
  crashDumpsFolder: string;
  errors: RecentErrors;
}

/** The facts at this moment; the sync status is copied field by field (its user's id stays out). */
export async function collectDiagnostics(source: DiagnosticsSource): Promise<DiagnosticsFacts> {
  const status = source.core.sync.status;
  return {
    app: source.app,
    versions: source.versions,
    dataFolder: source.dataFolder,
    logFile: source.logFile(),
    sync: {
      phase: status.phase,
      serverUrl: status.serverUrl,
      user: status.user ? { username: status.user.username, role: status.user.role } : null,
      pending: status.pending,
      notSentReason: status.notSentReason,
      lastSyncAt: status.lastSyncAt,
      lastError: status.lastError,
    },
    lastErrors: source.errors.list(),
    crashDumps: await listCrashDumps(source.crashDumpsFolder),
  };
}

/** Help ▸ Show Log File and Help ▸ Copy Diagnostics. */
export function createHelpActions(host: HelpHost, facts: () => Promise<DiagnosticsFacts>) {
  return {
    async showLogFile(): Promise<void> {
      const file = host.logFile();
      if (file) host.showItemInFolder(file);
      else await host.inform({ kind: 'info', message: 'Curio has not written a log file yet.' });
    },
    async copyDiagnostics(): Promise<void> {
      try {
        host.writeClipboard(diagnosticsText(await facts()));
        await host.inform({
          kind: 'info',
          message: 'Diagnostics are on the clipboard.',
          detail:
            'Versions, the data folder, the sync state, the last errors and any crash dumps; no tokens, ' +
            'passwords or catalog content. Paste them into your message to whoever helps you.',
        });
      } catch (error) {
        await host.inform({
          kind: 'error',
          message: 'Curio could not collect its diagnostics.',
          detail: error instanceof Error ? error.message : String(error),
        });
      }
    },
  };
}
