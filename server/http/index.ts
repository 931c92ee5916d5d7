import Fastify, { type FastifyInstance } from 'fastify';
import { answerFrameworkError, clientErrorHandler } from './client-errors';
import { errorBody, installErrorHandling } from './errors';
import { installJsonBody } from './json-body';
import { accountRoutes } from './account-routes';
import { adminRoutes } from './admin-routes';
import { authRoutes } from './auth-routes';
import type { HttpContext } from './context';
import type { ServerLog } from './log-destination';
import { opsRoutes } from './ops-routes';
import { installSecurity, securityHeaders } from './security';
import { syncRoutes } from './sync-routes';

export type { HttpContext } from './context';
export { createMetrics, type Metrics } from './metrics';
export {
  isLoopbackHost,
  METRICS_TOKEN_ENV,
  MIN_METRICS_TOKEN_LENGTH,
  resolveMetricsAccess,
  type MetricsAccess,
} from './metrics-access';
export { limitConnections, resolveConnectionLimits, type ConnectionLimits } from './connection-limits';
export { DEFAULT_PULL_ENCODINGS, type ContentEncoding } from './compression';
export { openServerLog, type ServerLog } from './log-destination';
export {
  createShutdown,
  DEFAULT_SHUTDOWN_GRACE_MS,
  graceRanOutWords,
  type Shutdown,
  type ShutdownOutcome,
} from './shutdown';

export interface HttpOptions {
  logLevel: string;
  /** Where pino writes JSON lines (OPS-4); pino's stdout destination when absent. */
  logStream?: ServerLog['stream'] | undefined;
  bodyLimit: number;
  trustProxy: boolean | string | string[];
  corsOrigins: string[];
  tls?: { cert: string | Buffer; key: string | Buffer } | undefined;
}

/** Paths that never reach the log: credentials, tokens, cookies. */
const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.body.password',
  'req.body.refreshToken',
  'req.body.code',
  'req.body.currentPassword',
  'req.body.newPassword',
  'res.headers["set-cookie"]',
];

/** Builds the Fastify app with every route; the caller listens. */
export function buildHttpApp(options: HttpOptions, context: HttpContext): FastifyInstance {
  const app = Fastify({
    logger: {
      level: options.logLevel,
      redact: { paths: REDACT, censor: '[redacted]' },
      ...(options.logStream ? { stream: options.logStream } : {}),
    },
    bodyLimit: options.bodyLimit,
    trustProxy: options.trustProxy,
    ...(options.tls ? { https: { cert: options.tls.cert, key: options.tls.key } } : {}),
    clientErrorHandler: clientErrorHandler(securityHeaders(Boolean(options.tls))),
    frameworkErrors: answerFrameworkError,
    // A stopping server answers new requests itself, with Retry-After and a message (OPS-5: server/http/shutdown.ts).
    return503OnClosing: false,
  }) as unknown as FastifyInstance;

  installSecurity(app, { tls: Boolean(options.tls), corsOrigins: options.corsOrigins });
  installErrorHandling(app, options.bodyLimit);
  installJsonBody(app);
  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send(
        errorBody(
          'NOT_FOUND',
          `There is no ${request.method} ${request.url.split('?')[0]!.slice(0, 200)} on this server.`,
        ),
      ),
  );

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const labels = { method: request.method, route, status: String(reply.statusCode) };
    context.metrics.count('curio_http_requests_total', labels);
    context.metrics.observeRequest(labels, reply.elapsedTime / 1000);
  });

  opsRoutes(app, context);
  authRoutes(app, context);
  syncRoutes(app, context);
  adminRoutes(app, context);
  accountRoutes(app, context);
  return app;
}
