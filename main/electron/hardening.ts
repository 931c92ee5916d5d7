/** The parts of Electron's events that a guard can cancel. */
export interface PreventableEvent {
  preventDefault(): void;
}

/** The parts of Electron's `WebContents` the navigation guard uses. */
export interface GuardableContents {
  on(event: 'will-navigate', listener: (event: PreventableEvent, url: string) => void): unknown;
  on(event: 'will-redirect', listener: (event: PreventableEvent, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

/** The parts of Electron's `Session` the permission guard uses. */
export interface GuardableSession {
  setPermissionRequestHandler(
    handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void) => void,
  ): void;
  setPermissionCheckHandler(handler: (webContents: unknown, permission: string) => boolean): void;
}

export interface NavigationPolicy {
  /** Whether a URL is one of the app's own pages (see `isAppUrl`). */
  isAppUrl(url: string): boolean;
  /** Opens a link in the system browser (Electron's `shell.openExternal`). */
  openExternal(url: string): void;
}

/** Only web links leave the app, and only to the system browser: never file:, never custom schemes. */
export function isExternalLink(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * Keeps a window on the app's own pages: navigation and redirects elsewhere are cancelled, new
 * windows are never opened (an https link goes to the system browser instead), and <webview> is
 * refused.
 */
export function guardWebContents(contents: GuardableContents, policy: NavigationPolicy): void {
  const guard = (event: PreventableEvent, url: string) => {
    if (policy.isAppUrl(url)) return;
    event.preventDefault();
    if (isExternalLink(url)) policy.openExternal(url);
  };
  contents.on('will-navigate', guard);
  contents.on('will-redirect', (event, url) => {
    if (!policy.isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalLink(url)) policy.openExternal(url);
    return { action: 'deny' };
  });
}

/**
 * The only permission the page gets: writing text to the clipboard ("Copy link"). Curio needs no
 * camera, microphone, location, web notifications (the OS ones come from the main process), and it
 * never reads the clipboard: everything else is denied.
 */
export const GRANTED_PERMISSIONS: readonly string[] = ['clipboard-sanitized-write'];

export function limitPermissions(session: GuardableSession): void {
  const granted = (permission: string) => GRANTED_PERMISSIONS.includes(permission);
  session.setPermissionRequestHandler((_contents, permission, callback) => callback(granted(permission)));
  session.setPermissionCheckHandler((_contents, permission) => granted(permission));
}
