import type { FastifyInstance } from 'fastify';
import { errorBody } from './errors';
import type { HttpContext } from './context';
import { diskSpaceProblem } from './disk-space';

/** OPS-*: liveness, readiness (the database answers, its disk has room) and Prometheus metrics; no protocol header. */
export function opsRoutes(app: FastifyInstance, context: HttpContext): void {
  app.get('/health', async () => ({ status: 'ok' }));

  app.get('/health/ready', async (request, reply) => {
    try {
      await context.store.ping();
    } catch (error) {
      request.log.warn({ err: error }, 'readiness check failed');
      return reply.status(503).send(errorBody('INTERNAL', 'The database does not answer; the server is not ready.'));
    }
    const disk = context.dataDisk;
    const diskProblem = disk && (await diskSpaceProblem(disk.dir, disk.minFreeBytes));
    if (diskProblem) {
      request.log.warn({ dataDir: disk.dir }, 'readiness check failed: data disk full');
      return reply.status(503).send(errorBody('INTERNAL', diskProblem));
    }
    return { status: 'ready', database: context.store.kind };
  });

  app.get('/metrics', async (_request, reply) =>
    reply.type(context.metrics.contentType).send(await context.metrics.render()),
  );
}
