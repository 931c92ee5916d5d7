import { Transform, pipeline } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, isAppError } from '../../shared/errors';
import {
  PULL_PAGES_MEDIA_TYPE,
  REPLICATED_COLLECTIONS,
  isReplicatedCollection,
  type ReplicatedCollection,
} from '../../shared/protocol';
import { isLastPage, pull, pullPages, push, type PullRequest, type PullResult } from '../sync';
import { clientSchemasOf } from '../sync/client-schemas';
import { chooseEncoding, compressBody, partCompressor, type ContentEncoding } from './compression';
import { STATUS_BY_CODE, errorBody } from './errors';
import { acceptedValues } from './negotiation';
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

/**
 * One pull answer (PULL-1) as UTF-8 JSON, the stored documents spliced in unparsed, followed by `end`.
 * NOTE: encoded once here, for both the byte count and the body: counting the text's bytes and then encoding it
 * read each page twice, ~0.2 s of the server's ~1.8 s of CPU for a client's initial sync of 100,000 documents.
 */
function pageBytes(page: PullResult, end = ''): Buffer {
  const json = `{"documents":[${page.documents.join(',')}],"checkpoint":${JSON.stringify(page.checkpoint)},"hasMore":${page.hasMore}}`;
  return Buffer.from(json + end, 'utf8');
}

/** PULL-*, PUSH-* and STREAM-*. Documents travel as stored JSON text, spliced into the response unparsed. */
export function syncRoutes(app: FastifyInstance, context: HttpContext): void {
  function counted(collection: ReplicatedCollection, page: PullResult, bytes: number): void {
    context.metrics.count('curio_sync_pulled_documents_total', { collection }, page.documents.length);
    context.metrics.count('curio_sync_pulled_bytes_total', { encoding: 'identity' }, bytes);
  }

  /**
   * PULL-9: the pages one after another, each line written (and flushed through the compressor) before the
   * next page is read, and the next read only once the connection took the last one: a client that stops
   * reading stops the server once the connection's buffers are full, so neither side holds more than that. A failure after the
   * first page (a compaction passed the checkpoint: PULL-7) becomes an error line, the last of the answer.
   */
  function sendPages(
    reply: FastifyReply,
    collection: ReplicatedCollection,
    pages: AsyncGenerator<PullResult>,
    first: PullResult,
    encoding: ContentEncoding | null,
  ): FastifyReply {
    const compressor = partCompressor(encoding);
    const wire = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        if (encoding) context.metrics.count('curio_sync_pulled_bytes_total', { encoding }, chunk.length);
        done(null, chunk);
      },
    });
    // Fastify destroys `wire` when the client goes away; the pipeline then destroys the compressor.
    pipeline(compressor.stream, wire, () => undefined);
    const gone = () => compressor.stream.destroyed;
    const closed = new Promise<void>((resolve) => compressor.stream.once('close', resolve));
    const drained = () => new Promise<void>((resolve) => compressor.stream.once('drain', resolve));
    void (async () => {
      try {
        for (let page: PullResult | undefined = first; page && !gone();) {
          // NOTE: one page per line: stored documents are JSON.stringify output, which holds no raw newline.
          const line = pageBytes(page, '\n');
          counted(collection, page, line.length - 1);
          compressor.stream.write(line);
          await Promise.race([compressor.flush(), closed]);
          // Checked after the flush: the drain may have come while it ran.
          if (compressor.stream.writableNeedDrain) await Promise.race([drained(), closed]);
          // A stopping server ends the answer between pages (OPS-5): the client pulls on from the last checkpoint.
          if (gone() || context.closing()) break;
          page = (await pages.next()).value ?? undefined;
        }
      } catch (error) {
        if (!isAppError(error)) reply.log.error({ err: error }, 'streamed pull failed');
        // The status and body the request would have been answered with, had it failed at once.
        const failure = isAppError(error)
          ? { status: STATUS_BY_CODE[error.code], ...errorBody(error.code, error.message) }
          : { status: 500, ...errorBody('INTERNAL', 'The server hit an unexpected error; it was logged. Try again.') };
        if (!gone()) compressor.stream.write(`${JSON.stringify(failure)}\n`);
      } finally {
        await pages.return(undefined);
        if (!gone()) compressor.stream.end();
      }
    })();
    if (encoding) reply.header('content-encoding', encoding);
    return reply.header('vary', 'Accept, Accept-Encoding').type(`${PULL_PAGES_MEDIA_TYPE}; charset=utf-8`).send(wire);
  }

  app.post('/v1/sync/:collection/pull', async (request, reply) => {
    const client = clientSchemasOf(request.headers);
    const collection = collectionOf(request);
    await principalOf(context, request);
    const options = { maxPageBytes: context.pullPageBytes, client };
    const encoding = chooseEncoding(request.headers['accept-encoding'], context.pullEncodings);
    let result: PullResult;
    // PULL-9: asked for by name (q > 0); `*/*` does not count, since an older client could not read the lines.
    if (acceptedValues(request.headers.accept).has(PULL_PAGES_MEDIA_TYPE)) {
      const pages = pullPages(context.store, collection, request.body, options);
      // The first page before the answer starts: a bad request or an old checkpoint is an error status as ever.
      result = (await pages.next()).value!;
      // A live pull (the first page is the last) stays one plain answer: nothing to stream, no stream to set up.
      if (!isLastPage(result, (request.body as PullRequest).limit)) {
        return sendPages(reply, collection, pages, result, encoding);
      }
      await pages.return(undefined);
    } else {
      result = await pull(context.store, collection, request.body, options);
    }
    const raw = pageBytes(result);
    counted(collection, result, raw.length);
    // Pages are mostly repeated field names and words: compressed they are 4 to 6 times smaller (issue 16).
    const { body, encoding: used } = await compressBody(raw, encoding);
    if (used) {
      context.metrics.count('curio_sync_pulled_bytes_total', { encoding: used }, body.length);
      reply.header('content-encoding', used);
    }
    return reply.header('vary', 'Accept, Accept-Encoding').type('application/json; charset=utf-8').send(body);
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
