import { z } from 'zod';

/**
 * Where the main window goes when the app starts: the place it had the last time the same displays
 * were attached, kept on a screen. Plain geometry, so it is tested in Node; `main/index.ts` feeds it
 * Electron's `screen` and the window (see window-state-store.ts for the file and the tracking).
 */

const rectSchema = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
});
export type Rect = z.infer<typeof rectSchema>;

/** What the app needs of one of Electron's `Display` objects. */
export interface DisplayInfo {
  bounds: Rect;
  /** The bounds less the taskbar, dock and menu bar: where a window may go. */
  workArea: Rect;
  scaleFactor: number;
}

const savedWindowSchema = z.object({ bounds: rectSchema, maximized: z.boolean() });
/** The window's normal (not maximized) bounds and whether it was maximized. */
export type SavedWindow = z.infer<typeof savedWindowSchema>;

export const windowStateFileSchema = z.object({
  version: z.literal(1),
  /** Per display set (see `displaySetKey`), the most recent last. */
  displaySets: z.record(z.string().max(2000), savedWindowSchema),
});
export type WindowStateFile = z.infer<typeof windowStateFileSchema>;

export const EMPTY_STATE: WindowStateFile = { version: 1, displaySets: {} };
/** Older arrangements are forgotten beyond this many (a laptop meets a few desks, not hundreds). */
export const KEPT_DISPLAY_SETS = 10;
/** At least this much of the window (its title bar, in practice) must be on a screen to grab it. */
const MIN_VISIBLE = { width: 120, height: 40 };

export interface WindowSize {
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
}

/**
 * The arrangement of attached displays, as a key: the same monitors at the same places and
 * resolutions give the same key. Display ids are left out: Windows renumbers them across restarts.
 */
export function displaySetKey(displays: readonly DisplayInfo[]): string {
  return displays
    .map(({ bounds: b, scaleFactor }) => `${b.x},${b.y},${b.width}x${b.height}@${scaleFactor}`)
    .sort()
    .join(';');
}

/** Remembers `saved` for this display set; it becomes the most recent one. */
export function rememberWindow(file: WindowStateFile, key: string, saved: SavedWindow): WindowStateFile {
  const others = Object.entries(file.displaySets).filter(([k]) => k !== key);
  const kept = others.slice(Math.max(0, others.length - (KEPT_DISPLAY_SETS - 1)));
  return { version: 1, displaySets: Object.fromEntries([...kept, [key, saved]]) };
}

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return { width: Math.max(0, width), height: Math.max(0, height) };
}

const clamp = (value: number, low: number, high: number) => Math.min(Math.max(value, low), Math.max(low, high));

/** `size` within `area` (but never below the window's minimum), centered. */
function centeredIn(area: Rect, size: WindowSize, wanted: { width: number; height: number }): Rect {
  const width = Math.max(size.minWidth, Math.min(wanted.width, area.width));
  const height = Math.max(size.minHeight, Math.min(wanted.height, area.height));
  return {
    x: area.x + Math.round((area.width - width) / 2),
    y: area.y + Math.round((area.height - height) / 2),
    width,
    height,
  };
}

/**
 * The bounds and maximized state to open the window with.
 * - The same displays as last time: the window comes back where it was.
 * - Another arrangement seen before: the place it had there.
 * - A new arrangement (a display gone, a changed resolution): the most recent place, if enough of it
 *   is still on a screen, moved and shrunk to fit inside that screen's work area.
 * - Nothing saved, or the place is off every screen: the default size, centered on the primary display.
 */
export function restoreWindow(
  file: WindowStateFile,
  displays: readonly DisplayInfo[],
  primary: DisplayInfo,
  size: WindowSize,
): SavedWindow {
  const sets = file.displaySets;
  const saved = sets[displaySetKey(displays)] ?? Object.values(sets).at(-1);
  if (!saved) return { bounds: centeredIn(primary.workArea, size, size), maximized: false };

  const { bounds } = saved;
  const best = displays
    .map((display) => ({ display, seen: overlap(bounds, display.workArea) }))
    .sort((a, b) => b.seen.width * b.seen.height - a.seen.width * a.seen.height)[0];
  if (!best || best.seen.width < MIN_VISIBLE.width || best.seen.height < MIN_VISIBLE.height) {
    return { bounds: centeredIn(primary.workArea, size, bounds), maximized: saved.maximized };
  }
  const area = best.display.workArea;
  const width = Math.max(size.minWidth, Math.min(bounds.width, area.width));
  const height = Math.max(size.minHeight, Math.min(bounds.height, area.height));
  return {
    bounds: {
      x: clamp(bounds.x, area.x, area.x + area.width - width),
      y: clamp(bounds.y, area.y, area.y + area.height - height),
      width,
      height,
    },
    maximized: saved.maximized,
  };
}
