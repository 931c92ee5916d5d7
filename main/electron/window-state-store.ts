import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  displaySetKey,
  EMPTY_STATE,
  rememberWindow,
  windowStateFileSchema,
  type DisplayInfo,
  type Rect,
  type WindowStateFile,
} from './window-state';

/** The window's state lives next to the profile, in the user-data folder. */
export const WINDOW_STATE_FILE = 'window-state.json';

/**
 * Reads the saved window states; a missing, unreadable or foreign file counts as none (the window
 * then opens centered: losing a window position is not worth a start-up error).
 */
export function readWindowState(file: string): WindowStateFile {
  try {
    const parsed = windowStateFileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : EMPTY_STATE;
  } catch {
    return EMPTY_STATE;
  }
}

/**
 * Writes the file whole or not at all (a temporary file renamed over it), so a crash mid-write
 * leaves the previous state. Synchronous: it is a few hundred bytes, and the last write happens
 * while the window closes, when an awaited write could be cut short by the quit.
 */
export function writeWindowState(file: string, state: WindowStateFile): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(state));
  renameSync(temporary, file);
}

/** The parts of a `BrowserWindow` the tracker watches. */
export interface TrackedWindow {
  on(event: 'resize' | 'move' | 'maximize' | 'unmaximize' | 'close', listener: () => void): void;
  /** The bounds the window has when neither maximized, minimized nor full screen. */
  getNormalBounds(): Rect;
  isMaximized(): boolean;
}

export interface WindowTracking {
  file: string;
  window: TrackedWindow;
  /** The displays attached now (Electron's `screen.getAllDisplays()`). */
  displays: () => readonly DisplayInfo[];
  /** Timers, so tests run without waiting. */
  setTimer?: (run: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

/** Moving or resizing fires many events; the file is written once things settle. */
export const SAVE_DELAY_MS = 500;

/** Saves the window's place for the current display set while it moves, and once more as it closes. */
export function trackWindowState({
  file,
  window,
  displays,
  setTimer = (run, ms) => setTimeout(run, ms),
  clearTimer = (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
}: WindowTracking): void {
  let timer: unknown = null;
  const save = () => {
    if (timer !== null) clearTimer(timer);
    timer = null;
    const saved = { bounds: window.getNormalBounds(), maximized: window.isMaximized() };
    writeWindowState(file, rememberWindow(readWindowState(file), displaySetKey(displays()), saved));
  };
  const later = () => {
    if (timer !== null) clearTimer(timer);
    timer = setTimer(save, SAVE_DELAY_MS);
  };
  for (const event of ['resize', 'move'] as const) window.on(event, later);
  for (const event of ['maximize', 'unmaximize', 'close'] as const) window.on(event, save);
}
