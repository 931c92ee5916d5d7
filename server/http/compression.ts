import { PassThrough, type Transform } from 'node:stream';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { acceptedValues } from './negotiation';

/** Encodings the server compresses answers with (see docs/decisions.md, issue 16). */
export type ContentEncoding = 'br' | 'gzip';

/** What the server offers by default, best first. */
export const DEFAULT_PULL_ENCODINGS: readonly ContentEncoding[] = ['br', 'gzip'];

/** Below this, compressing costs more time than the bytes it saves (a live pull of a few documents). */
export const MIN_COMPRESSED_BYTES = 1024;

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/**
 * The encoding to answer with for an Accept-Encoding header: the first of
 * `offered` the client accepts. By default brotli (as small as gzip-6 for far
 * less CPU, see BROTLI_QUALITY), else gzip, else none. A coding with q=0 is
 * refused, as RFC 9110 says.
 */
export function chooseEncoding(
  acceptEncoding: string | string[] | undefined,
  offered: readonly ContentEncoding[] = DEFAULT_PULL_ENCODINGS,
): ContentEncoding | null {
  const accepted = acceptedValues(acceptEncoding);
  const chosen = offered.find((encoding) => accepted.has(encoding));
  if (chosen) return chosen;
  // `*` names no coding: gzip, which every client decodes.
  return accepted.has('*') && offered.includes('gzip') ? 'gzip' : null;
}

/**
 * Brotli quality of pull answers. NOTE: 1, not 4: on pull pages of 1,000
 * catalog documents of each type, quality 4 is 3 to 6 % smaller for 2 to 4
 * times the CPU (video: 134 against 142 KB, 8.7 against 4.4 ms; gzip-6 148 KB,
 * 10.6 ms), and the server pays it for every page of every client
 * (docs/decisions.md, issue 12).
 */
export const BROTLI_QUALITY = 1;

const brotliOptions = (sizeHint?: number): zlib.BrotliOptions => ({
  params: {
    [zlib.constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
    ...(sizeHint === undefined ? {} : { [zlib.constants.BROTLI_PARAM_SIZE_HINT]: sizeHint }),
    [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
  },
});
const GZIP_LEVEL = 6;

/** Compresses `body` off the event loop (zlib's thread pool); small bodies stay as they are. */
export async function compressBody(
  raw: Buffer,
  encoding: ContentEncoding | null,
): Promise<{ body: Buffer; encoding: ContentEncoding | null }> {
  if (!encoding || raw.length < MIN_COMPRESSED_BYTES) return { body: raw, encoding: null };
  const compressed =
    encoding === 'br' ? await brotli(raw, brotliOptions(raw.length)) : await gzip(raw, { level: GZIP_LEVEL });
  return { body: compressed, encoding };
}

/** A compressing stream for an answer written in parts, and how to send what it holds so far. */
export interface PartCompressor {
  stream: Transform;
  /** Resolves once everything written so far can be decoded by the reader (a part sent whole). */
  flush(): Promise<void>;
}

/**
 * The same compression as `compressBody` for an answer written in parts (PULL-9): one stream over all of
 * them, so later parts reuse what earlier ones taught it. With no encoding the parts pass through unchanged.
 */
export function partCompressor(encoding: ContentEncoding | null): PartCompressor {
  if (!encoding) {
    const stream = new PassThrough();
    return { stream, flush: () => Promise.resolve() };
  }
  const stream =
    encoding === 'br' ? zlib.createBrotliCompress(brotliOptions()) : zlib.createGzip({ level: GZIP_LEVEL });
  // NOTE: gzip's default flush (Z_FULL_FLUSH) forgets the dictionary; a sync flush keeps it for the next part.
  const kind = encoding === 'br' ? zlib.constants.BROTLI_OPERATION_FLUSH : zlib.constants.Z_SYNC_FLUSH;
  return { stream, flush: () => new Promise((resolve) => stream.flush(kind, () => resolve())) };
}
