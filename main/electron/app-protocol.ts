import { readFile } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { APP_HOST } from './app-origin';
import { securityHeaders } from './csp';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The handler behind `app://curio/…` (`protocol.handle` in main/index.ts): serves the built
 * renderer from `rendererDir` and nothing outside it, every response with the CSP header.
 * A path without an extension gets index.html, so a reload on an in-app route still works.
 */
export function createAppProtocolHandler(options: {
  rendererDir: string;
  csp: string;
}): (request: Request) => Promise<Response> {
  const root = resolve(options.rendererDir);
  const headers = securityHeaders(options.csp);

  return async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return new Response('Not found', { status: 404, headers });
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response('Method not allowed', { status: 405, headers });
    }
    let pathname: string;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      return new Response('Bad request', { status: 400, headers });
    }
    const relative = extname(pathname) === '' ? 'index.html' : pathname;
    const file = resolve(join(root, relative));
    // URL parsing already folds '..', but an encoded separator could still climb out of the root.
    if (file !== root && !file.startsWith(root + sep)) return new Response('Not found', { status: 404, headers });
    try {
      const body = await readFile(file);
      const type = CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
      return new Response(request.method === 'HEAD' ? null : body, {
        status: 200,
        headers: { ...headers, 'Content-Type': type },
      });
    } catch {
      return new Response('Not found', { status: 404, headers });
    }
  };
}
