import type { ServerResponse } from 'node:http';
import { formatSchemaVersions, type SchemaVersions } from '../../shared/protocol';
import type { ChangeBatch, Store } from '../store';
import { clientKnows, documentsForClient } from './client-schemas';

/** A stream client whose unsent data exceeds this is dropped; it reconnects and resyncs (STREAM-4). */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

/** The signed-in user of a stream as the client should know them (STREAM-6). */
export interface StreamUser {
  id: string;
  username: string;
  name: string;
  role: string;
}

interface StreamClient {
  response: ServerResponse;
  sessionId: string;
  /** The user as this client last heard of them: a change is announced once. */
  user: StreamUser;
  expiryTimer: NodeJS.Timeout;
  /** The schema versions the client speaks (SCHEMA-2); `schemaKey` groups clients that read the same text. */
  schemas: SchemaVersions;
  schemaKey: string;
}

export interface StreamHub {
  /** Starts sending events on an already-open SSE response until it closes or the token expires. */
  add(
    response: ServerResponse,
    principal: { sessionId: string; user: StreamUser; expiresAt: number; schemas: SchemaVersions },
  ): void;
  /** A user's role or name changed here: their streams hear of it now, not at the next heartbeat (STREAM-6). */
  userChanged(userId: string): void;
  size(): number;
  close(): void;
}

/**
 * Formats one committed batch as an SSE `change` event (STREAM-2), once for
 * every group of clients speaking the same schema versions (SCHEMA-3); null
 * when there is nothing this client can read.
 */
export function changeEvent(batch: ChangeBatch, schemas: SchemaVersions): string | null {
  if (!clientKnows(schemas, batch.collection)) return null;
  const last = batch.rows[batch.rows.length - 1];
  const documents = documentsForClient(
    schemas,
    batch.collection,
    batch.rows.map((row) => row.json),
  );
  if (documents.length === 0) return null;
  const data = `{"collection":${JSON.stringify(batch.collection)},"documents":[${documents.join(
    ',',
  )}],"checkpoint":{"sequence":${last ? last.sequence : 0}}}`;
  return `event: change\ndata: ${data}\n\n`;
}

function userEvent(user: StreamUser): string {
  const { id, username, name, role } = user;
  return `event: user\ndata: ${JSON.stringify({ user: { id, username, name, role } })}\n\n`;
}

/**
 * Fans committed changes out to every open stream. Heartbeats keep proxies
 * from closing idle connections and re-check each session, so a revoked
 * session's stream ends, and a changed role is announced, within one
 * heartbeat on every server process.
 */
export function createStreamHub(
  store: Store,
  options: {
    heartbeatMs: number;
    /** The session's user now, or null when the session no longer stands. */
    sessionUser: (sessionId: string) => Promise<StreamUser | null>;
    /** Open streams one session may hold; a new one beyond it closes the session's oldest (STREAM-8). */
    maxStreamsPerSession: number;
  },
): StreamHub {
  const clients = new Set<StreamClient>();
  /** Each session's open streams, oldest first. */
  const bySession = new Map<string, Set<StreamClient>>();

  function drop(client: StreamClient): void {
    if (!clients.delete(client)) return;
    const ofSession = bySession.get(client.sessionId);
    ofSession?.delete(client);
    if (ofSession?.size === 0) bySession.delete(client.sessionId);
    clearTimeout(client.expiryTimer);
    client.response.end();
  }

  function send(client: StreamClient, text: string): void {
    if (client.response.writableLength > MAX_BUFFERED_BYTES) return drop(client);
    client.response.write(text);
  }

  const unsubscribe = store.onChange((batch) => {
    const texts = new Map<string, string | null>();
    for (const client of clients) {
      if (!texts.has(client.schemaKey)) texts.set(client.schemaKey, changeEvent(batch, client.schemas));
      const text = texts.get(client.schemaKey);
      if (text) send(client, text);
    }
  });

  const unsubscribeReset = store.onReset(() => {
    for (const client of [...clients]) drop(client);
  });

  /** Ends the stream of a session that no longer stands; announces a changed role or name. */
  function recheck(client: StreamClient): void {
    void options
      .sessionUser(client.sessionId)
      .then((user) => {
        if (!clients.has(client)) return;
        if (!user) return drop(client);
        if (user.role === client.user.role && user.name === client.user.name) return;
        client.user = user;
        send(client, userEvent(user));
      })
      .catch(() => undefined);
  }

  const heartbeat = setInterval(() => {
    for (const client of clients) {
      send(client, `event: heartbeat\ndata: {"at":"${new Date().toISOString()}"}\n\n`);
      recheck(client);
    }
  }, options.heartbeatMs);
  heartbeat.unref();

  return {
    add(response, { sessionId, user, expiresAt, schemas }) {
      const client: StreamClient = {
        response,
        sessionId,
        user,
        schemas,
        schemaKey: formatSchemaVersions(schemas),
        // NOTE: the stream lives no longer than its access token; the client reconnects with a fresh one.
        expiryTimer: setTimeout(() => drop(client), Math.max(0, expiresAt - Date.now())),
      };
      client.expiryTimer.unref();
      const ofSession = bySession.get(sessionId) ?? new Set<StreamClient>();
      // NOTE: one token could otherwise open streams until the fan-out of each push costs gigabytes.
      for (const oldest of ofSession) {
        if (ofSession.size < options.maxStreamsPerSession) break;
        drop(oldest);
      }
      clients.add(client);
      bySession.set(sessionId, ofSession.add(client));
      response.on('close', () => drop(client));
      // The heartbeat interval lets the client tell a silent connection from a quiet one (STREAM-6),
      // and the user as they are now catches a role change made while the client was reconnecting.
      const { id, username, name, role } = user;
      const ready = { heartbeatMs: options.heartbeatMs, user: { id, username, name, role } };
      response.write(`event: ready\ndata: ${JSON.stringify(ready)}\n\n`);
    },
    userChanged(userId) {
      for (const client of clients) if (client.user.id === userId) recheck(client);
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
