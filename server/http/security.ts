import type { FastifyInstance } from 'fastify';
import {
  PROTOCOL_VERSION,
  PROTOCOL_VERSION_HEADER,
  SCHEMA_VERSIONS,
  SCHEMA_VERSIONS_HEADER,
  formatSchemaVersions,
} from '../../shared/protocol';
import { errorBody } from './errors';

/** Headers on every response: nothing here is meant to be framed, sniffed, cached or scripted. */
export function securityHeaders(tls: boolean): Record<string, string> {
  return {
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    'cross-origin-resource-policy': 'same-origin',
    'cache-control': 'no-store',
    ...(tls ? { 'strict-transport-security': 'max-age=31536000' } : {}),
  };
}

/**
 * Security headers, optional CORS and the protocol version gate (PROTO-1).
 * CORS answers only the configured origins; with none configured, browsers
 * on other origins get no access at all.
 */
export function installSecurity(app: FastifyInstance, options: { tls: boolean; corsOrigins: string[] }): void {
  const headers = securityHeaders(options.tls);
  const allowed = new Set(options.corsOrigins);
  const schemaHeader = formatSchemaVersions(SCHEMA_VERSIONS);

  app.addHook('onRequest', async (request, reply) => {
    reply.headers(headers);
    const origin = request.headers.origin;
    if (origin && allowed.has(origin)) {
      reply.header('access-control-allow-origin', origin);
      reply.header('vary', 'Origin');
      if (request.method === 'OPTIONS') {
        reply.header('access-control-allow-methods', 'GET, POST, PATCH, DELETE');
        reply.header(
          'access-control-allow-headers',
          `authorization, content-type, ${PROTOCOL_VERSION_HEADER}, ${SCHEMA_VERSIONS_HEADER}`,
        );
        reply.header('access-control-max-age', '600');
        return reply.status(204).send();
      }
    }
    if (!request.url.startsWith('/v1/') && request.url !== '/v1') return;
    // Every /v1 answer names the server's schema versions, so a client told 426 knows which side is older.
    reply.header(SCHEMA_VERSIONS_HEADER, schemaHeader);
    const given = request.headers[PROTOCOL_VERSION_HEADER];
    if (given !== String(PROTOCOL_VERSION)) {
      const what =
        given === undefined ? 'did not say which sync protocol it speaks' : `speaks sync protocol ${String(given)}`;
      return reply
        .status(426)
        .send(
          errorBody(
            'UPGRADE_REQUIRED',
            `This client ${what}; the server speaks protocol ${PROTOCOL_VERSION}. Update Curio (or the server) so both speak the same version, then sign in again.`,
          ),
        );
    }
  });
}
