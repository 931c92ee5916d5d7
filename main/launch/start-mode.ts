/** How a step of the start-up went: fine, or why not, in one line. */
export type StepOutcome = { ok: true } | { ok: false; reason: string };

/** The Electron package as `npm start` sees it. */
export interface ElectronInstaller {
  /** The installed binary, or null where `npm ci` left it out (npm runs no unapproved install script). */
  binaryPath(): string | null;
  /** Runs electron's own installer (node_modules/electron/install.js) once, reporting progress in one line. */
  fetch(progress: (line: string) => void): Promise<StepOutcome>;
}

/** better-sqlite3 for Electron's ABI, in a folder of its own (main/storage/native-binding.ts). */
export interface ElectronBindingBuilder {
  /** Builds it unless it is there already. */
  ensure(progress: (line: string) => void): Promise<StepOutcome>;
}

export interface StartModeInput {
  env: Record<string, string | undefined>;
  electron: ElectronInstaller;
  binding: ElectronBindingBuilder;
  progress: (line: string) => void;
}

export type StartMode = { mode: 'electron'; binary: string } | { mode: 'browser'; reason: string };

/**
 * The desktop window where Electron is installed or can be fetched, browser mode otherwise, with the
 * reason in one line. `npm ci` never downloads Electron (its install script is not approved), so the
 * first `npm start` does, once; a later start finds the binary and the binding and starts at once.
 */
export async function chooseStartMode({ env, electron, binding, progress }: StartModeInput): Promise<StartMode> {
  if (env.CURIO_BROWSER === '1') return browser('CURIO_BROWSER=1 asks for it');
  let binary = electron.binaryPath();
  if (!binary) {
    if (env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
      return browser('the Electron binary is not installed and ELECTRON_SKIP_BINARY_DOWNLOAD is set');
    }
    const fetched = await electron.fetch(progress);
    if (!fetched.ok) return browser(`the Electron binary could not be downloaded: ${fetched.reason}`);
    binary = electron.binaryPath();
    if (!binary) return browser("electron's installer finished but left no binary in node_modules/electron/dist");
  }
  const built = await binding.ensure(progress);
  if (!built.ok) return browser(`better-sqlite3 could not be built for Electron: ${built.reason}`);
  return { mode: 'electron', binary };
}

const browser = (reason: string): StartMode => ({ mode: 'browser', reason });
