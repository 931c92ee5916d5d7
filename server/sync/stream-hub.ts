import type { ServerResponse } from 'node:http';
import type { ChangeBatch, Store } from '../store';

/** A stream client whose unsent data exceeds this is dropped; it reconnects and resyncs (STREAM-4). */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

interface StreamClient {
  response: ServerResponse;
  sessionId: string;
  expiryTimer: NodeJS.Timeout;
}

export interface StreamHub {
  /** Starts sending events on an already-open SSE response until it closes or the token expires. */
  add(response: ServerResponse, sessionId: string, tokenExpiresAt: number): void;
  size(): number;
  close(): void;
}

/** Formats one committed batch as an SSE `change` event, once for every client (STREAM-2). */
export function changeEvent(batch: ChangeBatch): string {
  const last = batch.rows[batch.rows.length - 1];
  const data = `{"collection":${JSON.stringify(batch.collection)},"documents":[${batch.rows
    .map((row) => row.json)
    .join(',')}],"checkpoint":{"sequence":${last ? last.sequence : 0}}}`;
  return `event: change\ndata: ${data}\n\n`;
}

/**
 * Fans committed changes out to every open stream. Heartbeats keep proxies
 * from closing idle connections and re-check each session, so a revoked
 * session's stream ends within one heartbeat on every server process.
 */
export function createStreamHub(
  store: Store,
  options: { heartbeatMs: number; sessionAlive: (sessionId: string) => Promise<boolean> },
): StreamHub {
  const clients = new Set<StreamClient>();

  function drop(client: StreamClient): void {
    if (!clients.delete(client)) return;
    clearTimeout(client.expiryTimer);
    client.response.end();
  }

  function send(client: StreamClient, text: string): void {
    if (client.response.writableLength > MAX_BUFFERED_BYTES) return drop(client);
    client.response.write(text);
  }

  const unsubscribe = store.onChange((batch) => {
    const text = changeEvent(batch);
    for (const client of clients) send(client, text);
  });

  const unsubscribeReset = store.onReset(() => {
    for (const client of [...clients]) drop(client);
  });

  const heartbeat = setInterval(() => {
    for (const client of clients) {
      send(client, `event: heartbeat\ndata: {"at":"${new Date().toISOString()}"}\n\n`);
      void options
        .sessionAlive(client.sessionId)
        .then((alive) => {
          if (!alive) drop(client);
        })
        .catch(() => undefined);
    }
  }, options.heartbeatMs);
  heartbeat.unref();

  return {
    add(response, sessionId, tokenExpiresAt) {
      const client: StreamClient = {
        response,
        sessionId,
        // NOTE: the stream lives no longer than its access token; the client reconnects with a fresh one.
        expiryTimer: setTimeout(() => drop(client), Math.max(0, tokenExpiresAt - Date.now())),
      };
      client.expiryTimer.unref();
      clients.add(client);
      response.on('close', () => drop(client));
      response.write(`event: ready\ndata: {}\n\n`);
    },
    size: () => clients.size,
    close() {
      clearInterval(heartbeat);
      unsubscribe();
      unsubscribeReset();
      for (const client of [...clients]) drop(client);
    },
  };
}
