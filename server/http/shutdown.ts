import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { counted } from '../../shared/readable';
import { errorBody } from './errors';

/** How long a stopping server lets requests in flight finish before it closes their connections (OPS-5). */
export const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;

/** What a request arriving while the server stops is told to wait: about what a restart takes. */
const RETRY_AFTER_SECONDS = 5;

interface InFlight {
  method: string;
  url: string;
  startedAt: number;
}

/** What was still open when the grace period ran out, for the log. */
export interface ShutdownOutcome {
  /** Requests whose connections were closed before they finished (live streams, stalled readers, slow pushes). */
  cut: { method: string; url: string; seconds: number }[];
}

/** The log line when the grace period ran out with `cut` connections still answering: "closed 1 connection …". */
export function graceRanOutWords(graceMs: number, cut: number): string {
  return (
    `stopping: the shutdown grace of ${graceMs / 1000} s ran out; closed ${counted(cut, 'connection')} still answering ` +
    '(clients retry or resume from their checkpoint)'
  );
}

/**
 * A bounded, clean stop of the HTTP side (OPS-5): once `drain` is called every
 * new request is answered 503 with Retry-After and the connection closed, the
 * listener stops, idle keep-alive connections close, requests in flight may
 * finish for `graceMs`, and whatever is still open then is closed and logged.
 */
export interface Shutdown {
  /** Whether the server is stopping; a streamed pull ends at its next page boundary then. */
  closing(): boolean;
  /** Registers the hooks; call before the app listens, after the hooks that set headers on every answer. */
  install(app: FastifyInstance): void;
  /** Stops the app as above; resolves once every connection is closed and Fastify's close hooks ran. */
  drain(): Promise<ShutdownOutcome>;
}

export function createShutdown(graceMs: number): Shutdown {
  let closing = false;
  let app: FastifyInstance | null = null;
  const inFlight = new Map<ServerResponse, InFlight>();

  function settle(response: ServerResponse): void {
    inFlight.delete(response);
    if (!closing || !app) return;
    // A keep-alive connection whose answer just finished is idle now: close it rather than wait out its timeout.
    const server = app.server;
    setImmediate(() => server.closeIdleConnections());
  }

  return {
    closing: () => closing,
    install(target) {
      app = target;
      target.addHook('onRequest', async (request, reply) => {
        if (closing) {
          return reply
            .status(503)
            .header('retry-after', String(RETRY_AFTER_SECONDS))
            .header('connection', 'close')
            .send(
              errorBody(
                'INTERNAL',
                'The sync server is shutting down. Try again in a few seconds, once it is back (Curio retries on its own).',
              ),
            );
        }
        const response = reply.raw;
        inFlight.set(response, { method: request.method, url: request.url.split('?')[0]!, startedAt: Date.now() });
        response.once('close', () => settle(response));
      });
      // An answer that finishes while the server stops closes its connection: the client asks elsewhere or later.
      target.addHook('onSend', async (_request, reply, payload) => {
        if (closing) void reply.header('connection', 'close');
        return payload;
      });
    },
    async drain() {
      if (!app) return { cut: [] };
      closing = true;
      // Stops listening and closes idle keep-alive connections; resolves once every connection is gone.
      const closed = app.close().then(() => 'closed' as const);
      let timer: NodeJS.Timeout | undefined;
      const graceOver = new Promise<'grace over'>((resolve) => {
        timer = setTimeout(() => resolve('grace over'), graceMs);
      });
      const first = await Promise.race([closed, graceOver]);
      clearTimeout(timer);
      if (first === 'closed') return { cut: [] };
      const now = Date.now();
      const cut = [...inFlight.values()].map(({ method, url, startedAt }) => ({
        method,
        url,
        seconds: Math.round((now - startedAt) / 100) / 10,
      }));
      // Stalled readers, live streams that did not take their end, requests whose headers never came.
      app.server.closeAllConnections();
      await closed;
      return { cut };
    },
  };
}
