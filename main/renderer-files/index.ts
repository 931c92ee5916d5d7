import { extname, resolve, sep } from 'node:path';

/**
 * What both ways of serving the built renderer share: the browser-mode host
 * (HTTP) and the Electron shell (`app://`). One list of content types, one
 * containment rule, so the two cannot drift apart.
 */
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
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
};

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The file under `rootDir` that a URL path names, or null when the path is not
 * decodable or would leave the folder (an encoded separator can still climb out
 * after URL parsing has folded `..`).
 */
export function fileInside(rootDir: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const root = resolve(rootDir);
  const relative = decoded.replace(/^\/+/, '') || 'index.html';
  const file = resolve(root, relative);
  return file === root || file.startsWith(root + sep) ? file : null;
}
