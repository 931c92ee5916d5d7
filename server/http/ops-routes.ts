import type { FastifyInstance } from 'fastify';
import { errorBody } from './errors';
import type { HttpContext } from './context';
import { diskSpaceProblem } from './disk-space';
import { metricsTokenCheck } from './metrics-access';

/**
 * OPS-*: liveness, readiness (the database answers, its disk has room) and Prometheus metrics, behind the
 * metrics token when there is one and absent when metrics are off (OPS-6); no protocol header.
 */
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

  const access = context.metricsAccess;
  if (access.kind === 'off') return;
  const check = access.kind === 'token' ? metricsTokenCheck(access.token) : null;
  app.get('/metrics', async (request, reply) => {
    if (check) {
      try {
        check(request.headers.authorization);
      } catch (error) {
        // NOTE: the token is never logged; the authorization header is redacted from every log line.
        request.log.warn('metrics scrape refused: no or the wrong metrics token');
        void reply.header('www-authenticate', 'Bearer realm="curio-metrics"');
        throw error;
      }
    }
    return reply.type(context.metrics.contentType).send(await context.metrics.render());
  });
}
