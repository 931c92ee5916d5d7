import http, { type ClientRequest, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { pipeline, type Readable } from 'node:stream';
import { text as readAll } from 'node:stream/consumers';
import zlib from 'node:zlib';
import { AppError, ERROR_CODES, type ErrorCode, type FieldError } from '../../shared/errors';
import {
  PROTOCOL_VERSION,
  PROTOCOL_VERSION_HEADER,
  SCHEMA_VERSIONS,
  SCHEMA_VERSIONS_HEADER,
  formatSchemaVersions,
} from '../../shared/protocol';
import { serverBehind } from './schema-versions';

/** The server could not be reached at all (refused, reset, timed out): the client is offline. */
export class OfflineError extends Error {
  constructor(
    readonly serverUrl: string,
    cause: unknown,
    message = `Cannot reach the sync server at ${serverUrl}. Check the address and the network; syncing resumes by itself.`,
  ) {
    super(message);
    this.name = 'OfflineError';
    this.cause = cause;
  }
}

/** The server took the connection but no answer came in time (a stalled link, an overloaded server). */
export class ServerTimeoutError extends OfflineError {
  constructor(serverUrl: string, timeoutMs: number) {
    super(
      serverUrl,
      undefined,
      `The sync server at ${serverUrl} did not answer within ${Math.round(timeoutMs / 1000)} s; retrying.`,
    );
    this.name = 'ServerTimeoutError';
  }
}

/** An error answer of the server, with its HTTP status and the protocol's error code. */
export class ServerError extends AppError {
  constructor(
    readonly status: number,
    code: ErrorCode,
    message: string,
    /** A 426 from a server older than this app (SCHEMA-5): changes wait until the server is upgraded. */
    readonly serverBehind = false,
    fieldErrors?: FieldError[],
  ) {
    super(code, message, fieldErrors);
    this.name = 'ServerError';
  }
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  body?: unknown;
  accessToken?: string;
  signal?: AbortSignal;
  /** How long `requestJson` waits for the whole answer, body included; 0: no limit (the stream has its own). */
  timeoutMs?: number;
  /** The `Accept` header, when the answer may come in another form than one JSON body (PULL-9). */
  accept?: string;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** The protocol headers every /v1 request carries. */
export function protocolHeaders(accessToken?: string): Record<string, string> {
  return {
    [PROTOCOL_VERSION_HEADER]: String(PROTOCOL_VERSION),
    [SCHEMA_VERSIONS_HEADER]: formatSchemaVersions(SCHEMA_VERSIONS),
    ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}),
  };
}

/** A request as both transports put it on the wire: the one place that composes URL, method, headers and body. */
function requestParts(serverUrl: string, path: string, options: RequestOptions) {
  const headers: Record<string, string> = protocolHeaders(options.accessToken);
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.accept) headers.accept = options.accept;
  // Pull pages are smaller in brotli; fetch by itself offers only gzip over plain http. Both transports decode both.
  headers['accept-encoding'] = 'br, gzip';
  return {
    url: new URL(path, serverUrl),
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  };
}

/**
 * Sends one request and returns the raw response; a failure to connect becomes an OfflineError.
 * Only the caller's signal ends it: a request that needs a deadline goes through `requestJson`.
 */
export async function send(serverUrl: string, path: string, options: RequestOptions = {}): Promise<Response> {
  const { url, ...init } = requestParts(serverUrl, path, options);
  try {
    return await fetch(url, { ...init, signal: options.signal });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new OfflineError(serverUrl, error);
  }
}

/** Connections kept open between requests, as fetch keeps them. */
const AGENTS = {
  'http:': new http.Agent({ keepAlive: true }),
  'https:': new https.Agent({ keepAlive: true }),
};

/**
 * The most a decoder hands on per chunk. At zlib's default (16 KiB) a catch-up's 60 MB of pages were ~3,700
 * turns of zlib's stream code on the main thread, 0.31-0.34 s; at 128 KiB, 0.18-0.24 s
 * (docs/decisions.md, "Decoded answers in larger chunks").
 */
const DECODED_CHUNK_BYTES = 128 * 1024;

/** The decoders of the encodings `requestParts` accepts; an answer in another one is passed on as it came. */
const DECODERS: Record<string, () => zlib.BrotliDecompress | zlib.Gunzip> = {
  br: () => zlib.createBrotliDecompress({ chunkSize: DECODED_CHUNK_BYTES }),
  gzip: () => zlib.createGunzip({ chunkSize: DECODED_CHUNK_BYTES }),
  'x-gzip': () => zlib.createGunzip({ chunkSize: DECODED_CHUNK_BYTES }),
};

/**
 * An answer of `sendStreamed`: its decoded body is a Node stream read at the reader's pace. What the reader does
 * not take stops the socket (node:http pauses it), so it waits in the connection and the server waits too.
 */
export class StreamedAnswer implements HttpAnswer {
  readonly body: Readable;
  readonly headers = { get: (name: string) => headerValue(this.response, name) };

  constructor(
    private readonly request: ClientRequest,
    private readonly response: IncomingMessage,
    signal: AbortSignal | undefined,
  ) {
    const decoder = DECODERS[String(response.headers['content-encoding']).toLowerCase()]?.();
    // A failure on either side (the connection cut, a broken compressed stream) fails the reads of the body,
    // and closing the body closes the connection.
    this.body = decoder ? pipeline(response, decoder, () => undefined) : response;
    // Errors reach the reader through its reads; one that comes while nobody reads must not end the process.
    this.body.on('error', () => undefined);
    const aborted = () => this.close(signal?.reason);
    signal?.addEventListener('abort', aborted, { once: true });
    if (signal?.aborted) aborted();
    this.body.once('close', () => signal?.removeEventListener('abort', aborted));
  }

  get status(): number {
    return this.response.statusCode ?? 0;
  }

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  /** The whole decoded body (for the JSON answers of `readJson`). */
  text(): Promise<string> {
    return readAll(this.body);
  }

  /** Closes the connection (not kept for another request): the server stops writing. */
  close(reason?: unknown): void {
    this.request.destroy();
    this.body.destroy(reason instanceof Error ? reason : undefined);
  }
}

function headerValue(response: IncomingMessage, name: string): string | null {
  const value = response.headers[name.toLowerCase()];
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * `send` over node:http, for an answer read on long after it started (PULL-9's lines). NOTE: not fetch: when
 * its reader is slower than the server, undici's parser puts the unread rest of a socket chunk back and reads
 * it again on every resume (177 to 227 MB read for 18 MB of JSON, docs/decisions.md); node:http's parser takes
 * each chunk once and pauses the socket instead. Same contract as `send`: only the caller's signal ends it.
 */
export function sendStreamed(serverUrl: string, path: string, options: RequestOptions = {}): Promise<StreamedAnswer> {
  const { url, method, headers, body } = requestParts(serverUrl, path, options);
  const { signal } = options;
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = transport.request(url, {
      method,
      headers,
      agent: AGENTS[url.protocol as keyof typeof AGENTS],
      signal,
    });
    request.once('response', (response) => resolve(new StreamedAnswer(request, response, signal)));
    // Kept for the whole answer: a socket error after the headers fails the body's reads, not the process.
    request.on('error', (error) => reject(signal?.aborted ? signal.reason : new OfflineError(serverUrl, error)));
    request.end(body);
  });
}

/**
 * Runs `request` with a signal that aborts after `timeoutMs` or when the caller's signal does.
 *
 * NOTE: not `AbortSignal.any([signal, AbortSignal.timeout(ms)])`. Node (20 here) holds a timeout signal
 * inside `any()` only weakly, so a garbage collection before it fires loses it and the request waits
 * forever on a connection that never answers (nodejs/node#57736): under load, sync clients stopped
 * retrying for good. The timer below holds its controller.
 */
export async function withDeadline<T>(
  serverUrl: string,
  options: RequestOptions,
  request: (signal: AbortSignal) => Promise<T>,
  /** Whose signal the request gets: a caller that keeps the connection past the deadline passes its own. */
  controller = new AbortController(),
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const callerAborted = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', callerAborted, { once: true });
  if (options.signal?.aborted) callerAborted();
  const timeout = new ServerTimeoutError(serverUrl, timeoutMs);
  const timer = timeoutMs > 0 ? setTimeout(() => controller.abort(timeout), timeoutMs) : undefined;
  try {
    return await request(controller.signal);
  } catch (error) {
    if (controller.signal.reason === timeout) throw timeout;
    throw error;
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', callerAborted);
  }
}

/** What `readJson` needs of an answer: a fetch `Response` or a `StreamedAnswer`. */
export interface HttpAnswer {
  readonly status: number;
  readonly ok: boolean;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}

/** Reads a JSON answer, turning the protocol's `{ error: { code, message } }` into a ServerError. */
export async function readJson<T>(response: HttpAnswer, serverUrl: string): Promise<T> {
  if (response.status === 204) return undefined as T;
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw new OfflineError(serverUrl, error);
  }
  if (response.ok) return (text ? JSON.parse(text) : undefined) as T;
  throw serverErrorFrom(response.status, text, response.headers.get(SCHEMA_VERSIONS_HEADER));
}

/** One JSON request; the answer, body included, must arrive within `timeoutMs` (default 30 s). */
export async function requestJson<T>(serverUrl: string, path: string, options: RequestOptions = {}): Promise<T> {
  return withDeadline(serverUrl, options, async (signal) =>
    readJson<T>(await send(serverUrl, path, { ...options, signal }), serverUrl),
  );
}

export function serverErrorFrom(status: number, text: string, serverSchemas: string | null = null): ServerError {
  let code: ErrorCode = status === 401 ? 'UNAUTHORIZED' : status === 403 ? 'FORBIDDEN' : 'INTERNAL';
  let message = `The sync server answered ${status}.`;
  let fieldErrors: FieldError[] | undefined;
  try {
    const parsed = JSON.parse(text) as { error?: { code?: string; message?: string; fieldErrors?: unknown } };
    // The fields a refusal names (a setup code, a password), so a form can show each message at its field.
    if (Array.isArray(parsed.error?.fieldErrors)) fieldErrors = parsed.error.fieldErrors.filter(isFieldError);
    if (parsed.error?.code && (ERROR_CODES as readonly string[]).includes(parsed.error.code)) {
      code = parsed.error.code as ErrorCode;
    }
    if (parsed.error?.message) message = parsed.error.message;
  } catch {
    // Not the protocol's JSON (a proxy's error page): the status says enough.
  }
  if (status === 426) code = 'UPGRADE_REQUIRED';
  return new ServerError(status, code, message, status === 426 && serverBehind(serverSchemas), fieldErrors);
}

function isFieldError(value: unknown): value is FieldError {
  const record = value as Partial<FieldError> | null;
  return typeof record?.field === 'string' && typeof record.message === 'string';
}

/** `127.0.0.1:5309` and `http://127.0.0.1:5309/` name the same server. */
export function normalizeServerUrl(input: string): string {
  const trimmed = input.trim();
  const withScheme = /^https?:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new AppError('VALIDATION', `"${input}" is not a server address; write it like http://127.0.0.1:5309.`);
  }
  return url.origin;
}
