import type { FastifyInstance } from 'fastify';
import { errorBody } from './errors';
import type { HttpContext } from './context';

/** OPS-*: liveness, readiness (checks the database) and Prometheus metrics; no protocol header needed. */
export function opsRoutes(app: FastifyInstance, context: HttpContext): void {
  app.get('/health', async () => ({ status: 'ok' }));

  app.get('/health/ready', async (request, reply) => {
    try {
      await context.store.ping();
      return { status: 'ready', database: context.store.kind };
    } catch (error) {
      request.log.warn({ err: error }, 'readiness check failed');
      return reply.status(503).send(errorBody('INTERNAL', 'The database does not answer; the server is not ready.'));
    }
  });

  app.get('/metrics', async (_request, reply) =>
    reply.type(context.metrics.contentType).send(await context.metrics.render()),
  );
}
