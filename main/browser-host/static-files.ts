import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import { contentTypeOf, fileInside } from '../renderer-files';

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
  let file = fileInside(rootDir, urlPath.split('?')[0] ?? '/');
  if (file === null) return send(response, 400, 'Bad path', headers);
  let info = await stat(file).catch(() => null);
  if (!info?.isFile() && extname(file) === '' && options.fallback !== false) {
    file = join(rootDir, 'index.html');
    info = await stat(file).catch(() => null);
  }
  if (!info?.isFile()) return send(response, 404, 'Not found', headers);
  response.writeHead(200, {
    'content-type': contentTypeOf(file),
    ...headers,
    'content-length': String(info.size),
  });
  createReadStream(file).pipe(response);
}

export function send(response: ServerResponse, status: number, text: string, headers: Record<string, string>): void {
  response.writeHead(status, { ...headers, 'content-type': 'text/plain; charset=utf-8' });
  response.end(text);
}
