/**
 * Headers for every response of browser mode. The CSP allows only the app's own
 * scripts and its own WebSocket; images may come from anywhere because photo URLs
 * point at the web and picked photos are data URLs.
 */
export function securityHeaders(port: number): Record<string, string> {
  const self = [`ws://127.0.0.1:${port}`, `ws://localhost:${port}`].join(' ');
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob: https: http:",
    `connect-src 'self' ${self}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return {
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'cache-control': 'no-store',
  };
}
