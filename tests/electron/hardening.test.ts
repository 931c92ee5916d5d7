import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { APP_ENTRY_URL, isAppUrl } from '../../main/electron/app-origin';
import { contentSecurityPolicy } from '../../main/electron/csp';
import {
  limitPermissions,
  type GuardableContents,
  type GuardableSession,
  guardWebContents,
} from '../../main/electron/hardening';
import { HARDENED_WEB_PREFERENCES, windowOptions } from '../../main/electron/window-options';

describe('window options', () => {
  const options = windowOptions({ preloadPath: '/app/out/preload/index.cjs', devTools: false });
  const prefs = options.webPreferences!;

  it.each([
    ['contextIsolation', true],
    ['sandbox', true],
    ['nodeIntegration', false],
    ['nodeIntegrationInWorker', false],
    ['nodeIntegrationInSubFrames', false],
    ['webSecurity', true],
    ['allowRunningInsecureContent', false],
    ['webviewTag', false],
    ['experimentalFeatures', false],
    ['navigateOnDragDrop', false],
    ['safeDialogs', true],
  ] as const)('sets %s to %s', (name, value) => {
    expect(prefs[name]).toBe(value);
  });

  it('checks every hardened setting it declares', () => {
    // A setting added to HARDENED_WEB_PREFERENCES must get its own line above.
    expect(Object.keys(HARDENED_WEB_PREFERENCES).sort()).toEqual(
      [
        'allowRunningInsecureContent',
        'contextIsolation',
        'experimentalFeatures',
        'navigateOnDragDrop',
        'nodeIntegration',
        'nodeIntegrationInSubFrames',
        'nodeIntegrationInWorker',
        'safeDialogs',
        'sandbox',
        'webSecurity',
        'webviewTag',
      ].sort(),
    );
  });

  it('loads only the given preload, enables no Blink features and keeps devtools as asked', () => {
    expect(prefs.preload).toBe('/app/out/preload/index.cjs');
    expect(prefs.enableBlinkFeatures).toBeUndefined();
    expect(prefs.devTools).toBe(false);
    expect(windowOptions({ preloadPath: 'x', devTools: true }).webPreferences?.devTools).toBe(true);
    expect(options.show).toBe(false);
  });
});

describe('Content-Security-Policy', () => {
  const directives = (csp: string) =>
    new Map(csp.split('; ').map((part) => [part.split(' ')[0]!, part.split(' ').slice(1)] as const));

  it('allows scripts only from the app: no inline script, no eval', () => {
    const csp = directives(contentSecurityPolicy());
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('connect-src')).toEqual(["'self'"]);
    expect(contentSecurityPolicy()).not.toMatch(/unsafe-eval|\*/);
  });

  it('opens only the dev server, and only in development', () => {
    const csp = directives(contentSecurityPolicy({ devServerUrl: 'http://localhost:5173/' }));
    expect(csp.get('script-src')).toContain('http://localhost:5173');
    expect(csp.get('connect-src')).toContain('ws://localhost:5173');
    expect(contentSecurityPolicy()).not.toContain('localhost');
  });
});

/** Electron's WebContents cannot run here; an EventEmitter plays its event side. */
function standInContents() {
  const emitter = new EventEmitter();
  let openHandler: ((details: { url: string }) => { action: 'deny' }) | null = null;
  const contents = Object.assign(emitter, {
    setWindowOpenHandler: (handler: typeof openHandler) => void (openHandler = handler),
  }) as unknown as GuardableContents & EventEmitter;
  const fire = (event: string, url?: string) => {
    let prevented = false;
    emitter.emit(event, { preventDefault: () => (prevented = true) }, url);
    return prevented;
  };
  return { contents, fire, open: (url: string) => openHandler!({ url }) };
}

describe('navigation guard', () => {
  function guarded() {
    const opened: string[] = [];
    const stand = standInContents();
    guardWebContents(stand.contents, { isAppUrl: (url) => isAppUrl(url), openExternal: (url) => opened.push(url) });
    return { ...stand, opened };
  }

  it('lets the app move between its own pages', () => {
    const { fire } = guarded();
    expect(fire('will-navigate', APP_ENTRY_URL)).toBe(false);
    expect(fire('will-navigate', 'app://curio/index.html#/trash')).toBe(false);
  });

  it('cancels navigation elsewhere and sends https links to the system browser', () => {
    const { fire, opened } = guarded();
    expect(fire('will-navigate', 'https://www.youtube.com/watch?v=dQw4w9WgXcQ')).toBe(true);
    expect(fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(fire('will-navigate', 'http://example.com/')).toBe(true);
    expect(fire('will-redirect', 'https://evil.example/')).toBe(true);
    expect(opened).toEqual(['https://www.youtube.com/watch?v=dQw4w9WgXcQ']);
  });

  it('never opens a new window', () => {
    const { open, opened } = guarded();
    expect(open('https://example.com/')).toEqual({ action: 'deny' });
    expect(open(APP_ENTRY_URL)).toEqual({ action: 'deny' });
    expect(open('javascript:alert(1)')).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://example.com/']);
  });

  it('refuses <webview>', () => {
    const { fire } = guarded();
    expect(fire('will-attach-webview')).toBe(true);
  });
});

describe('permissions', () => {
  it('denies every request and every check but writing text to the clipboard', () => {
    let request: Parameters<GuardableSession['setPermissionRequestHandler']>[0] | null = null;
    let check: Parameters<GuardableSession['setPermissionCheckHandler']>[0] | null = null;
    limitPermissions({
      setPermissionRequestHandler: (handler) => void (request = handler),
      setPermissionCheckHandler: (handler) => void (check = handler),
    });
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      const answers: boolean[] = [];
      request!(null, permission, (granted) => answers.push(granted));
      expect(answers).toEqual([false]);
      expect(check!(null, permission)).toBe(false);
    }
    const answers: boolean[] = [];
    request!(null, 'clipboard-sanitized-write', (granted) => answers.push(granted));
    expect(answers).toEqual([true]);
    expect(check!(null, 'clipboard-sanitized-write')).toBe(true);
  });
});

describe('app URLs', () => {
  it('knows its own origin and the dev server, nothing else', () => {
    expect(isAppUrl(APP_ENTRY_URL)).toBe(true);
    expect(isAppUrl('app://other/index.html')).toBe(false);
    expect(isAppUrl('http://localhost:5173/')).toBe(false);
    expect(isAppUrl('http://localhost:5173/src/main.tsx', 'http://localhost:5173/')).toBe(true);
    expect(isAppUrl('not a url')).toBe(false);
  });
});
