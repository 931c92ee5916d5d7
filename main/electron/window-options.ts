import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';

/**
 * The security settings of every window, in one place. Electron's defaults already match most of
 * them; they are spelled out so that a changed default or a careless edit shows up in the test.
 */
export const HARDENED_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  experimentalFeatures: false,
  navigateOnDragDrop: false,
  safeDialogs: true,
} as const satisfies WebPreferences;

/** The default size and the smallest the layout allows (window-state.ts keeps restored windows within it). */
export const WINDOW_SIZE = { width: 1280, height: 800, minWidth: 800, minHeight: 560 } as const;

export interface WindowOptionsInput {
  /** Absolute path of the built preload script (CommonJS, as a sandboxed preload must be). */
  preloadPath: string;
  /** Developer tools stay off in installed builds. */
  devTools: boolean;
  /** Window icon (Linux and Windows; macOS takes it from the bundle). */
  iconPath?: string;
  /** Where the window opens (restored by window-state.ts); the default size otherwise. */
  bounds?: { x: number; y: number; width: number; height: number };
}

/** The options of the app's main window. */
export function windowOptions({
  preloadPath,
  devTools,
  iconPath,
  bounds,
}: WindowOptionsInput): BrowserWindowConstructorOptions {
  return {
    ...WINDOW_SIZE,
    ...bounds,
    title: 'Curio',
    // Shown on 'ready-to-show', so the window never flashes empty.
    show: false,
    ...(iconPath ? { icon: iconPath } : {}),
    webPreferences: {
      ...HARDENED_WEB_PREFERENCES,
      preload: preloadPath,
      devTools,
      spellcheck: true,
    },
  };
}
