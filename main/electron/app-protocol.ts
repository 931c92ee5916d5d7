import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { contentTypeOf, fileInside } from '../renderer-files';
import { APP_HOST } from './app-origin';
import { securityHeaders } from './csp';

/**
 * The handler behind `app://curio/…` (`protocol.handle` in main/index.ts): serves the built
 * renderer from `rendererDir` and nothing outside it, every response with the CSP header.
 * A path without an extension gets index.html, so a reload on an in-app route still works.
 */
export function createAppProtocolHandler(options: {
  rendererDir: string;
  csp: string;
}): (request: Request) => Promise<Response> {
  const root = options.rendererDir;
  const headers = securityHeaders(options.csp);

  return async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return new Response('Not found', { status: 404, headers });
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response('Method not allowed', { status: 405, headers });
    }
    const file = fileInside(root, extname(url.pathname) === '' ? '/index.html' : url.pathname);
    if (file === null) return new Response('Not found', { status: 404, headers });
    try {
      const body = await readFile(file);
      return new Response(request.method === 'HEAD' ? null : body, {
        status: 200,
        headers: { ...headers, 'Content-Type': contentTypeOf(file) },
      });
    } catch {
      return new Response('Not found', { status: 404, headers });
    }
  };
}
