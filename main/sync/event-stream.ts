import { readJson } from './http';

/** One server-sent event. */
export interface StreamEvent {
  event: string;
  data: string;
}

/** Splits a server-sent-events body into events (the subset of the format the server speaks). */
export async function* parseEventStream(
  body: ReadableStream<Uint8Array>,
  onChunk: () => void = () => undefined,
): AsyncGenerator<StreamEvent> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    onChunk();
    buffer += decoder.decode(chunk, { stream: true }).replace(/\r\n?/g, '\n');
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = parseBlock(block);
      if (event) yield event;
    }
  }
}

function parseBlock(block: string): StreamEvent | null {
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':') || line === '') continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  return data.length === 0 && event === 'message' ? null : { event, data: data.join('\n') };
}

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
}

/** Exponential backoff with jitter, so many clients do not reconnect in lockstep after a restart. */
export function backoffDelay(attempt: number, { initialMs, maxMs }: BackoffOptions): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** attempt);
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

export interface LiveStreamOptions {
  serverUrl: string;
  open(signal: AbortSignal): Promise<Response>;
  /** A connection is up: the replication resyncs from its checkpoints. */
  onConnected(): void;
  onEvent(event: StreamEvent): void;
  /** The connection failed or dropped; `retrying` is false when the stream gives up (session gone). */
  onDisconnected(error: unknown, retrying: boolean): void;
  /** Errors after which reconnecting is pointless. */
  isFatal(error: unknown): boolean;
  backoff: BackoffOptions;
  /** No byte for this long (heartbeats included) means the connection is dead, until the server names its heartbeat. */
  idleTimeoutMs: number;
  /** Once the server names its heartbeat interval (STREAM-6), silence beyond it plus this much is a dead connection. */
  heartbeatGraceMs: number;
}

/** How long a silent stream may stay silent: the server's heartbeat plus grace, else the configured idle timeout. */
export function silenceLimit(ready: StreamEvent, options: Pick<LiveStreamOptions, 'heartbeatGraceMs'>): number | null {
  try {
    const { heartbeatMs } = JSON.parse(ready.data) as { heartbeatMs?: unknown };
    return typeof heartbeatMs === 'number' && heartbeatMs > 0 ? heartbeatMs + options.heartbeatGraceMs : null;
  } catch {
    return null;
  }
}

/**
 * The live stream: connects, reads events, and on any failure reconnects
 * with backoff, announcing every (re)connection so the replication resyncs.
 */
export class LiveStream {
  private stopped = false;
  private controller: AbortController | null = null;
  private wake: (() => void) | null = null;
  private readonly done: Promise<void>;
  /** The silence after which the connection counts as lost; learnt from the server's `ready` event. */
  private silenceMs: number;

  constructor(private readonly options: LiveStreamOptions) {
    this.silenceMs = options.idleTimeoutMs;
    this.done = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.controller?.abort();
    this.wake?.();
    await this.done;
  }

  /** Skips the current backoff wait (for example after signing in again). */
  reconnectNow(): void {
    this.wake?.();
  }

  private async run(): Promise<void> {
    let attempt = 0;
    while (!this.stopped) {
      try {
        await this.connectOnce(() => (attempt = 0));
        throw new Error('The sync server closed the live stream.');
      } catch (error) {
        if (this.stopped) return;
        const fatal = this.options.isFatal(error);
        this.options.onDisconnected(error, !fatal);
        if (fatal) return;
      }
      await this.sleep(backoffDelay(attempt++, this.options.backoff));
    }
  }

  private async connectOnce(onConnected: () => void): Promise<void> {
    const controller = new AbortController();
    this.controller = controller;
    let idleTimer: NodeJS.Timeout | undefined;
    const touch = () => {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(
        () => controller.abort(new Error('The connection to the sync server was lost (no heartbeat).')),
        this.silenceMs,
      );
    };
    try {
      touch();
      const response = await this.options.open(controller.signal);
      if (!response.ok || !response.body) {
        await readJson(response, this.options.serverUrl);
        throw new Error(`The live stream answered ${response.status}.`);
      }
      onConnected();
      this.options.onConnected();
      for await (const event of parseEventStream(response.body, touch)) {
        if (this.stopped) return;
        if (event.event === 'ready') {
          this.silenceMs = silenceLimit(event, this.options) ?? this.options.idleTimeoutMs;
          touch();
        }
        this.options.onEvent(event);
      }
    } finally {
      clearTimeout(idleTimer);
      controller.abort();
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}
