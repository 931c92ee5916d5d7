import { browserModeToken } from './connection';
import { hasIpcBridge } from './ipc-link';

/**
 * Where the user gets a file the core exported. In the desktop app the file is
 * already on disk (its path is shown); in browser mode the host serves it as a
 * download, guarded by the launch token like the WebSocket.
 */
export function exportedFileHref(filePath: string): string | null {
  if (hasIpcBridge()) return null;
  const name = filePath.split(/[\\/]/).pop() ?? '';
  return `/exports/${encodeURIComponent(name)}?token=${encodeURIComponent(browserModeToken() ?? '')}`;
}

/** Starts the browser download of an exported file; returns false in the desktop app. */
export function downloadExport(filePath: string): boolean {
  const href = exportedFileHref(filePath);
  if (!href) return false;
  const link = document.createElement('a');
  link.href = href;
  link.download = filePath.split(/[\\/]/).pop() ?? 'export';
  document.body.append(link);
  link.click();
  link.remove();
  return true;
}
