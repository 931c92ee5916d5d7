type Directives = Record<string, string[]>;

/**
 * The Content-Security-Policy sent with every page of the app. Scripts only from the app itself
 * (no inline script, no eval), no plugins, no frames, no forms posting anywhere; the renderer talks
 * to the core over IPC, so it needs no network at all. Inline styles stay allowed because React
 * sets `style` attributes; images may come from https and data: URLs (entry photos).
 */
export function contentSecurityPolicy(options: { devServerUrl?: string } = {}): string {
  const directives: Directives = {
    'default-src': ["'none'"],
    'script-src': ["'self'"],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:', 'https:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'"],
    'worker-src': ["'self'"],
    'manifest-src': ["'self'"],
    'object-src': ["'none'"],
    'frame-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
    'frame-ancestors': ["'none'"],
  };
  if (options.devServerUrl) {
    // NOTE: development only: Vite's dev server injects an inline React refresh preamble and keeps
    // a WebSocket open for hot reload. Installed builds never get these.
    const dev = new URL(options.devServerUrl);
    directives['script-src']!.push(dev.origin, "'unsafe-inline'");
    directives['connect-src']!.push(dev.origin, `ws://${dev.host}`);
  }
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ');
}

/** Headers every response of the app protocol carries. */
export function securityHeaders(csp: string): Record<string, string> {
  return {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Referrer-Policy': 'no-referrer',
  };
}
