import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  displaySetKey,
  EMPTY_STATE,
  KEPT_DISPLAY_SETS,
  rememberWindow,
  restoreWindow,
  type DisplayInfo,
  type Rect,
  type SavedWindow,
} from '../../main/electron/window-state';
import {
  readWindowState,
  trackWindowState,
  WINDOW_STATE_FILE,
  type TrackedWindow,
} from '../../main/electron/window-state-store';

const SIZE = { width: 1280, height: 800, minWidth: 800, minHeight: 560 };

/** A display with a 40 px taskbar at the bottom. */
function display(x: number, y: number, width: number, height: number, scaleFactor = 1): DisplayInfo {
  return { bounds: { x, y, width, height }, workArea: { x, y, width, height: height - 40 }, scaleFactor };
}
const laptop = display(0, 0, 1920, 1080);
const monitor = display(1920, 0, 2560, 1440);
const saved = (bounds: Rect, maximized = false): SavedWindow => ({ bounds, maximized });

describe('restoring the window', () => {
  it('opens centered on the primary display at the default size when nothing is saved', () => {
    expect(restoreWindow(EMPTY_STATE, [laptop], laptop, SIZE)).toEqual({
      bounds: { x: 320, y: 120, width: 1280, height: 800 },
      maximized: false,
    });
  });

  it('comes back where it was on the same displays, maximized if it was', () => {
    const onMonitor = saved({ x: 2100, y: 100, width: 1600, height: 1000 }, true);
    const file = rememberWindow(EMPTY_STATE, displaySetKey([laptop, monitor]), onMonitor);
    expect(restoreWindow(file, [monitor, laptop], laptop, SIZE)).toEqual(onMonitor);
  });

  it('remembers a place per display set: docked and undocked each get their own', () => {
    let file = rememberWindow(
      EMPTY_STATE,
      displaySetKey([laptop, monitor]),
      saved({ x: 2100, y: 100, width: 1600, height: 1000 }),
    );
    file = rememberWindow(file, displaySetKey([laptop]), saved({ x: 10, y: 10, width: 900, height: 600 }));
    expect(restoreWindow(file, [laptop, monitor], laptop, SIZE).bounds.x).toBe(2100);
    expect(restoreWindow(file, [laptop], laptop, SIZE).bounds.x).toBe(10);
  });

  it('centers on the primary display when the display it was on is gone', () => {
    const file = rememberWindow(
      EMPTY_STATE,
      displaySetKey([laptop, monitor]),
      saved({ x: 2100, y: 100, width: 1600, height: 1000 }, true),
    );
    expect(restoreWindow(file, [laptop], laptop, SIZE)).toEqual({
      bounds: { x: 160, y: 20, width: 1600, height: 1000 },
      maximized: true,
    });
  });

  it('centers a window saved off every screen (only a sliver showing)', () => {
    const file = rememberWindow(
      EMPTY_STATE,
      displaySetKey([laptop]),
      saved({ x: 1900, y: 1030, width: 1000, height: 700 }),
    );
    expect(restoreWindow(file, [laptop], laptop, SIZE).bounds).toEqual({ x: 460, y: 170, width: 1000, height: 700 });
  });

  it('moves a window partly off screen back inside the work area, keeping its size', () => {
    const file = rememberWindow(
      EMPTY_STATE,
      displaySetKey([laptop]),
      saved({ x: 1200, y: -50, width: 1000, height: 700 }),
    );
    expect(restoreWindow(file, [laptop], laptop, SIZE).bounds).toEqual({ x: 920, y: 0, width: 1000, height: 700 });
  });

  it('shrinks the window into a display whose resolution went down', () => {
    const file = rememberWindow(
      EMPTY_STATE,
      displaySetKey([monitor]),
      saved({ x: 1920, y: 0, width: 2560, height: 1400 }),
    );
    const lowered = display(1920, 0, 1600, 900);
    expect(restoreWindow(file, [lowered], lowered, SIZE)).toEqual({
      bounds: { x: 1920, y: 0, width: 1600, height: 860 },
      maximized: false,
    });
  });

  it('never goes below the minimum size, even from a damaged file', () => {
    const file = rememberWindow(EMPTY_STATE, displaySetKey([laptop]), saved({ x: 0, y: 0, width: 200, height: 100 }));
    expect(restoreWindow(file, [laptop], laptop, SIZE).bounds).toMatchObject({ width: 800, height: 560 });
  });

  it('tells display sets apart by position, resolution and scale, not by order', () => {
    expect(displaySetKey([laptop, monitor])).toBe(displaySetKey([monitor, laptop]));
    expect(displaySetKey([laptop])).not.toBe(displaySetKey([display(0, 0, 1920, 1080, 2)]));
    expect(displaySetKey([laptop])).not.toBe(displaySetKey([display(0, 0, 1280, 720)]));
  });

  it(`keeps the ${KEPT_DISPLAY_SETS} most recent display sets`, () => {
    let file = EMPTY_STATE;
    for (let i = 0; i < KEPT_DISPLAY_SETS + 3; i++)
      file = rememberWindow(file, `set-${i}`, saved({ x: i, y: 0, width: 900, height: 600 }));
    file = rememberWindow(file, 'set-5', saved({ x: 99, y: 0, width: 900, height: 600 }));
    const keys = Object.keys(file.displaySets);
    expect(keys).toHaveLength(KEPT_DISPLAY_SETS);
    expect(keys.at(-1)).toBe('set-5');
    expect(keys).not.toContain('set-2');
  });
});

describe('the window state file', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'curio-window-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** A window that only records listeners; tests fire its events by hand. */
  function fakeWindow(bounds: Rect, maximized = false) {
    const listeners = new Map<string, (() => void)[]>();
    const state = { bounds, maximized };
    const window: TrackedWindow = {
      on: (event, listener) => void listeners.set(event, [...(listeners.get(event) ?? []), listener]),
      getNormalBounds: () => state.bounds,
      isMaximized: () => state.maximized,
    };
    const fire = (event: string) => listeners.get(event)?.forEach((run) => run());
    return { window, state, fire };
  }

  it('reads a missing, damaged or foreign file as nothing saved', async () => {
    const file = join(dir, WINDOW_STATE_FILE);
    expect(readWindowState(file)).toEqual(EMPTY_STATE);
    await writeFile(file, '{"version": 1, "displaySets": {"a": {"bounds": {"x": "left"}}}}');
    expect(readWindowState(file)).toEqual(EMPTY_STATE);
    await writeFile(file, 'not json');
    expect(readWindowState(file)).toEqual(EMPTY_STATE);
  });

  it('saves after moves settle and at once on maximize and close, per display set', async () => {
    const file = join(dir, 'nested', WINDOW_STATE_FILE);
    const timers: (() => void)[] = [];
    const { window, state, fire } = fakeWindow({ x: 100, y: 100, width: 1000, height: 700 });
    let displays = [laptop];
    trackWindowState({
      file,
      window,
      displays: () => displays,
      setTimer: (run) => timers.push(run),
      clearTimer: () => undefined,
    });

    fire('move');
    expect(readWindowState(file)).toEqual(EMPTY_STATE);
    timers.at(-1)!();
    expect(readWindowState(file).displaySets[displaySetKey([laptop])]).toEqual(saved(state.bounds));

    state.maximized = true;
    fire('maximize');
    expect(readWindowState(file).displaySets[displaySetKey([laptop])]?.maximized).toBe(true);

    displays = [laptop, monitor];
    state.maximized = false;
    state.bounds = { x: 2000, y: 50, width: 1200, height: 900 };
    fire('close');
    const written = JSON.parse(await readFile(file, 'utf8')) as typeof EMPTY_STATE;
    expect(Object.keys(written.displaySets)).toEqual([displaySetKey([laptop]), displaySetKey([laptop, monitor])]);
    expect(restoreWindow(written, [laptop, monitor], laptop, SIZE)).toEqual(saved(state.bounds));
    expect(restoreWindow(written, [laptop], laptop, SIZE)).toEqual(
      saved({ x: 100, y: 100, width: 1000, height: 700 }, true),
    );
  });
});
