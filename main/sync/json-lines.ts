import { PULL_PAGES_MEDIA_TYPE } from '../../shared/protocol';
import { OfflineError, readJson, serverErrorFrom, ServerTimeoutError, withDeadline, type StreamedAnswer } from './http';

/**
 * An answer of JSON lines (PULL-9) read one line at a time, at the reader's pace: what it does not read stays
 * in the connection, and the server waits. Each line must arrive within `timeoutMs` of being asked for (the
 * whole answer may take longer); a line `{ status, error }` is the server's error, thrown as a ServerError.
 */
export class JsonLines {
  private readonly chunks: AsyncIterator<Buffer>;
  private readonly decoder = new TextDecoder();
  /** Complete lines not yet asked for, and the start of the line still arriving. */
  private readonly lines: string[] = [];
  private partial: string[] = [];
  private ended = false;

  constructor(
    answer: StreamedAnswer,
    private readonly serverUrl: string,
    private readonly controller: AbortController,
    private readonly timeoutMs: number,
  ) {
    // One chunk per read, asked for only when a line is: the stream holds a chunk or two, the socket the rest.
    this.chunks = answer.body[Symbol.asyncIterator]();
  }

  /** The next line's value; undefined once the answer ended. */
  async next<T>(): Promise<T | undefined> {
    const line = await this.nextLine();
    return line === undefined ? undefined : this.parse<T>(line);
  }

  /** The next line as it came; undefined once the answer ended. */
  async nextLine(): Promise<string | undefined> {
    while (this.lines.length === 0 && !this.ended) await this.read();
    return this.lines.shift();
  }

  /** A line's value; a line `{ status, error }` is thrown as the server's error. */
  parse<T>(line: string): T {
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
    // The error is made only when the deadline passes: its stack costs more than reading a chunk (0.1 s a sync).
    const timer = setTimeout(
      () => this.controller.abort(new ServerTimeoutError(this.serverUrl, this.timeoutMs)),
      this.timeoutMs,
    );
    let chunk: IteratorResult<Buffer>;
    try {
      chunk = await this.chunks.next();
    } catch (error) {
      this.ended = true;
      const reason: unknown = this.controller.signal.reason;
      if (reason instanceof ServerTimeoutError) throw reason;
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
 * `request` sends with `sendStreamed` (node:http), which reads a slow reader's lines without copying them again.
 */
export async function requestJsonOrLines<T>(
  serverUrl: string,
  timeoutMs: number,
  request: (signal: AbortSignal) => Promise<StreamedAnswer>,
): Promise<{ json: T } | { lines: JsonLines }> {
  // The lines go on being read after the deadline, on the same connection: they keep its controller.
  const controller = new AbortController();
  return withDeadline(
    serverUrl,
    { timeoutMs },
    async (signal) => {
      const answer = await request(signal);
      const type = answer.headers.get('content-type') ?? '';
      if (answer.ok && type.startsWith(PULL_PAGES_MEDIA_TYPE)) {
        return { lines: new JsonLines(answer, serverUrl, controller, timeoutMs) };
      }
      return { json: await readJson<T>(answer, serverUrl) };
    },
    controller,
  );
}
