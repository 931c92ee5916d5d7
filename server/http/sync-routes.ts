import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../shared/errors';
import { REPLICATED_COLLECTIONS, isReplicatedCollection, type ReplicatedCollection } from '../../shared/protocol';
import { pull, push } from '../sync';
import { clientSchemasOf } from '../sync/client-schemas';
import { chooseEncoding, compressBody } from './compression';
import { principalOf, requireRole, type HttpContext } from './context';
import { securityHeaders } from './security';

function collectionOf(request: FastifyRequest): ReplicatedCollection {
  const { collection } = request.params as { collection: string };
  if (!isReplicatedCollection(collection)) {
    throw new AppError(
      'NOT_FOUND',
      `There is no collection "${collection.slice(0, 100)}"; the server replicates ${REPLICATED_COLLECTIONS.join(', ')}.`,
    );
  }
  return collection;
}

/** PULL-*, PUSH-* and STREAM-*. Documents travel as stored JSON text, spliced into the response unparsed. */
export function syncRoutes(app: FastifyInstance, context: HttpContext): void {
  app.post('/v1/sync/:collection/pull', async (request, reply) => {
    const client = clientSchemasOf(request.headers);
    const collection = collectionOf(request);
    await principalOf(context, request);
    const result = await pull(context.store, collection, request.body, {
      maxPageBytes: context.pullPageBytes,
      client,
    });
    context.metrics.count('curio_sync_pulled_documents_total', { collection }, result.documents.length);
    const json = `{"documents":[${result.documents.join(',')}],"checkpoint":${JSON.stringify(result.checkpoint)},"hasMore":${result.hasMore}}`;
    // Pages are mostly repeated field names and words: compressed they are 4 to 6 times smaller (issue 16).
    const { body, encoding } = await compressBody(
      json,
      chooseEncoding(request.headers['accept-encoding'], context.pullEncodings),
    );
    context.metrics.count('curio_sync_pulled_bytes_total', { encoding: 'identity' }, Buffer.byteLength(json));
    if (encoding) {
      context.metrics.count('curio_sync_pulled_bytes_total', { encoding }, body.length);
      reply.header('content-encoding', encoding);
    }
    return reply.header('vary', 'Accept-Encoding').type('application/json; charset=utf-8').send(body);
  });

  app.post('/v1/sync/:collection/push', async (request, reply) => {
    const client = clientSchemasOf(request.headers);
    const collection = collectionOf(request);
    const principal = await principalOf(context, request);
    requireRole(principal, 'editor', 'push changes');
    const outcome = await push(context.store, collection, request.body, principal.user, client);
    context.metrics.count('curio_sync_pushed_documents_total', { collection }, outcome.written);
    if (outcome.conflicts.length)
      context.metrics.count('curio_sync_conflicts_total', { collection }, outcome.conflicts.length);
    for (const row of outcome.refused)
      context.metrics.count('curio_sync_refused_total', { collection, code: row.code });
    return reply
      .type('application/json; charset=utf-8')
      .send(`{"conflicts":[${outcome.conflicts.join(',')}],"refused":${JSON.stringify(outcome.refused)}}`);
  });

  app.get('/v1/sync/stream', async (request, reply) => {
    const client = clientSchemasOf(request.headers);
    const principal = await principalOf(context, request);
    reply.hijack();
    reply.raw.writeHead(200, {
      ...securityHeaders(context.tls),
      ...(reply.getHeader('access-control-allow-origin')
        ? { 'access-control-allow-origin': String(reply.getHeader('access-control-allow-origin')), vary: 'Origin' }
        : {}),
      'content-type': 'text/event-stream; charset=utf-8',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    context.hub.add(reply.raw, { ...principal, schemas: client });
  });
}
