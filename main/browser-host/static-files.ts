import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

/**
 * Serves one file of the built renderer. Paths never leave `rootDir`; unknown
 * paths without an extension get index.html so a reload on any screen works.
 */
export async function serveStatic(
  rootDir: string,
  urlPath: string,
  response: ServerResponse,
  headers: Record<string, string>,
  options: { fallback?: boolean } = {},
): Promise<void> {
  const decoded = safeDecode(urlPath.split('?')[0] ?? '/');
  if (decoded === null || decoded.includes('\0')) return send(response, 400, 'Bad path', headers);
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const root = normalize(rootDir + sep);
  let file = normalize(join(root, relative));
  if (!file.startsWith(root)) return send(response, 400, 'Bad path', headers);
  let info = await stat(file).catch(() => null);
  if (!info?.isFile() && extname(file) === '' && options.fallback !== false) {
    file = join(root, 'index.html');
    info = await stat(file).catch(() => null);
  }
  if (!info?.isFile()) return send(response, 404, 'Not found', headers);
  response.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    ...headers,
    'content-length': String(info.size),
  });
  createReadStream(file).pipe(response);
}

function safeDecode(path: string): string | null {
  try {
    return decodeURIComponent(path);
  } catch {
    return null;
  }
}

export function send(response: ServerResponse, status: number, text: string, headers: Record<string, string>): void {
  response.writeHead(status, { ...headers, 'content-type': 'text/plain; charset=utf-8' });
  response.end(text);
}
