import { AppError, ERROR_CODES, type ErrorCode, type FieldError } from '../../shared/errors';
import {
  PROTOCOL_VERSION,
  PROTOCOL_VERSION_HEADER,
  PULL_PAGES_MEDIA_TYPE,
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

/**
 * Sends one request and returns the raw response; a failure to connect becomes an OfflineError.
 * Only the caller's signal ends it: a request that needs a deadline goes through `requestJson`.
 */
export async function send(serverUrl: string, path: string, options: RequestOptions = {}): Promise<Response> {
  const headers: Record<string, string> = protocolHeaders(options.accessToken);
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.accept) headers.accept = options.accept;
  // fetch decompresses by itself but offers only gzip over plain http; pull pages are smaller in brotli.
  headers['accept-encoding'] = 'br, gzip';
  try {
    return await fetch(new URL(path, serverUrl), {
      method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new OfflineError(serverUrl, error);
  }
}

/**
 * Runs `request` with a signal that aborts after `timeoutMs` or when the caller's signal does.
 *
 * NOTE: not `AbortSignal.any([signal, AbortSignal.timeout(ms)])`. Node (20 here) holds a timeout signal
 * inside `any()` only weakly, so a garbage collection before it fires loses it and the request waits
 * forever on a connection that never answers (nodejs/node#57736): under load, sync clients stopped
 * retrying for good. The timer below holds its controller.
 */
async function withDeadline<T>(
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

/** Reads a JSON answer, turning the protocol's `{ error: { code, message } }` into a ServerError. */
export async function readJson<T>(response: Response, serverUrl: string): Promise<T> {
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

/**
 * An answer of JSON lines (PULL-9) read one line at a time, at the reader's pace: what it does not read stays
 * in the connection, and the server waits. Each line must arrive within `timeoutMs` of being asked for (the
 * whole answer may take longer); a line `{ status, error }` is the server's error, thrown as a ServerError.
 */
export class JsonLines {
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly decoder = new TextDecoder();
  /** Complete lines not yet asked for, and the start of the line still arriving. */
  private readonly lines: string[] = [];
  private partial: string[] = [];
  private ended = false;

  constructor(
    response: Response,
    private readonly serverUrl: string,
    private readonly controller: AbortController,
    private readonly timeoutMs: number,
  ) {
    this.reader = response.body!.getReader();
  }

  /** The next line's value; undefined once the answer ended. */
  async next<T>(): Promise<T | undefined> {
    while (this.lines.length === 0 && !this.ended) await this.read();
    const line = this.lines.shift();
    if (line === undefined) return undefined;
    const value = JSON.parse(line) as T & { status?: number; error?: unknown };
    if (value.error !== undefined) throw serverErrorFrom(value.status ?? 500, line);
    return value;
  }

  /** Stops reading: the connection is closed and the server stops writing. */
  cancel(): void {
    this.ended = true;
    this.controller.abort();
  }

  private async read(): Promise<void> {
    const timeout = new ServerTimeoutError(this.serverUrl, this.timeoutMs);
    const timer = setTimeout(() => this.controller.abort(timeout), this.timeoutMs);
    let chunk: Awaited<ReturnType<typeof this.reader.read>>;
    try {
      chunk = await this.reader.read();
    } catch (error) {
      this.ended = true;
      if (this.controller.signal.reason === timeout) throw timeout;
      throw new OfflineError(this.serverUrl, error);
    } finally {
      clearTimeout(timer);
    }
    if (chunk.done) {
      this.ended = true;
      // An answer cut inside a line (the connection dropped) is not an answer.
      if (this.partial.join('') !== '')
        throw new OfflineError(this.serverUrl, new Error('The answer ended inside a line.'));
      return;
    }
    const text = this.decoder.decode(chunk.value, { stream: true });
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      this.partial.push(text.slice(start, end));
      this.lines.push(this.partial.join(''));
      this.partial = [];
      start = end + 1;
    }
    if (start < text.length) this.partial.push(text.slice(start));
  }
}

/**
 * Sends a request whose answer may be one JSON body or JSON lines (PULL-9, chosen by the server from the
 * answer's Content-Type): the JSON, or the lines to read on. The answer must start within `timeoutMs`.
 */
export async function requestJsonOrLines<T>(
  serverUrl: string,
  timeoutMs: number,
  request: (signal: AbortSignal) => Promise<Response>,
): Promise<{ json: T } | { lines: JsonLines }> {
  // The lines go on being read after the deadline, on the same connection: they keep its controller.
  const controller = new AbortController();
  return withDeadline(
    serverUrl,
    { timeoutMs },
    async (signal) => {
      const response = await request(signal);
      const type = response.headers.get('content-type') ?? '';
      if (response.ok && type.startsWith(PULL_PAGES_MEDIA_TYPE)) {
        return { lines: new JsonLines(response, serverUrl, controller, timeoutMs) };
      }
      return { json: await readJson<T>(response, serverUrl) };
    },
    controller,
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
