import type { IpcRequestEvent } from './ipc-server';

/**
 * The renderer is served from a privileged custom scheme, not file://: it gives the app a real
 * origin (file:// pages share an opaque one with every file on disk), so CSP 'self', the IPC sender
 * check and navigation blocking all have something exact to compare against.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'curio';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * True when `url` belongs to the app: the app origin, or in development the dev server's origin
 * (electron-vite sets ELECTRON_RENDERER_URL).
 */
export function isAppUrl(url: string, devServerUrl?: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST) return true;
  if (!devServerUrl) return false;
  return parsed.origin === new URL(devServerUrl).origin;
}

/**
 * The IPC sender check: accept only the app's own top-level frame. A subframe (an embedded page)
 * or a window that navigated elsewhere never reaches the router.
 */
export function isAppFrame(event: IpcRequestEvent, devServerUrl?: string): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent) return false;
  return isAppUrl(frame.url, devServerUrl);
}
