import type { AddressInfo } from 'node:net';
import { createAuth, createUser, countUsers, type NewUser, type PublicUser } from './auth';
import { resolveConfig, type ResolvedConfig, type ServerOptions } from './config';
import {
  buildHttpApp,
  createMetrics,
  createShutdown,
  graceRanOutWords,
  isLoopbackHost,
  limitConnections,
  openServerLog,
  type ServerLog,
} from './http';
import { createRateLimiter } from './limits';
import { scheduleRetention } from './retention';
import { checkStoredVersions, startDocumentMigration } from './store/background-migration';
import { lockDataDir, openStore, type DataDirLock, type Store } from './store';
import { describeStartupError } from './startup-errors';
import { createStreamHub } from './sync';

export { resolveConfig, resolveStorage, DEFAULT_PORT, type ServerOptions, type ResolvedConfig } from './config';
export { openStore, type Store, type StoreOptions } from './store';
export {
  createUser,
  updateUser,
  listUsers,
  findUserByUsername,
  removeUser,
  exportUser,
  pseudonymFor,
  listSessions,
  listServerAudit,
  checkPasswordPolicy,
  DEFAULT_PASSWORD_HASHING,
  type NewUser,
  type PublicUser,
  type PasswordHashing,
} from './auth';
export { purgeTrash } from './sync';
export { runRetention, DEFAULT_RETENTION, type RetentionSettings, type RetentionOutcome } from './retention';

/** A running server: its address, its store, and a helper to add users (tests, scripts). */
export interface RunningServer {
  /** e.g. http://127.0.0.1:5309 (no trailing slash). */
  url: string;
  port: number;
  store: Store;
  /** Creates a user with this server's password-hashing settings. */
  createUser(input: NewUser): Promise<PublicUser>;
  close(): Promise<void>;
}

/**
 * Starts the sync server: opens the store (SQLite in `dataDir`, or
 * PostgreSQL at `databaseUrl`), builds the HTTP app and listens.
 */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const config = resolveConfig(options);
  try {
    return await start(config);
  } catch (error) {
    throw describeStartupError(error, config);
  }
}

async function start(config: ResolvedConfig): Promise<RunningServer> {
  // OPS-7: one server per SQLite data folder, taken before the database is opened (PostgreSQL is shared).
  const lock: DataDirLock | null = config.databaseUrl ? null : lockDataDir(config.dataDir, 'serve');
  let opened: Store | null = null;
  let log: ServerLog | null = null;
  try {
    const store = await openStore(config);
    opened = store;
    await checkStoredVersions(store);
    const auth = await createAuth(store, {
      hashing: config.passwordHashing,
      accessTokenTtlSeconds: config.accessTokenTtlSeconds,
      sessionIdleDays: config.sessionIdleDays,
      loginBackoff: config.loginBackoff,
    });
    const metrics = createMetrics();
    const hub = createStreamHub(store, {
      heartbeatMs: config.heartbeatMs,
      sessionUser: auth.sessionUser,
      maxStreamsPerSession: config.maxStreamsPerSession,
    });
    const started = Date.now();
    metrics.gauge('curio_stream_clients', () => hub.size());
    metrics.gauge('curio_process_uptime_seconds', () => Math.round((Date.now() - started) / 1000));
    metrics.gauge('curio_process_resident_memory_bytes', () => process.memoryUsage().rss);
    const stopCountingIgnored = store.onIgnoredNotification((reason) =>
      metrics.count('curio_sync_notifications_ignored_total', { reason }),
    );
    log = openServerLog(config, (lines) => metrics.count('curio_log_lines_dropped_total', {}, lines));
    const shutdown = createShutdown(config.shutdownGraceMs);
    const app = buildHttpApp(
      { ...config, logStream: log.stream },
      {
        store,
        auth,
        hub,
        metrics,
        metricsAccess: config.metricsAccess,
        hashing: config.passwordHashing,
        loginLimiter: createRateLimiter(store.sql, 'sign-in', config.loginRateLimit),
        sessionLimiter: createRateLimiter(store.sql, 'session', config.sessionRateLimit, 'in-blocks'),
        tls: Boolean(config.tls),
        pullPageBytes: config.pullPageBytes,
        pullEncodings: config.pullEncodings,
        startedAt: new Date().toISOString(),
        setupCodeDays: config.setupCodeDays,
        dataDisk: store.kind === 'sqlite' ? { dir: config.dataDir, minFreeBytes: config.minFreeDiskBytes } : null,
        closing: shutdown.closing,
      },
    );
    shutdown.install(app);
    limitConnections(app.server, config.connections, () => metrics.count('curio_connections_refused_total'));
    await app.listen({ host: config.host, port: config.port });
    if (config.metricsAccess.kind === 'open' && !isLoopbackHost(config.host)) {
      app.log.warn(
        `/metrics answers anyone who can reach ${config.host}; protect it with --metrics-token-file FILE ` +
          '(or CURIO_METRICS_TOKEN), or turn it off with --no-metrics',
      );
    }
    const stopRetention = scheduleRetention(store, config.retention, (outcome, error) => {
      if (error) return app.log.warn({ err: error }, 'retention failed; it runs again at the next interval');
      for (const [kind, count] of Object.entries(outcome ?? {}))
        if (count > 0) metrics.count('curio_retention_deleted_total', { kind }, count);
    });
    const migration = startDocumentMigration(store, app.log);
    const port = (app.server.address() as AddressInfo).port;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    let closing: Promise<void> | null = null;
    return {
      url: `${config.tls ? 'https' : 'http'}://${host}:${port}`,
      port,
      store,
      createUser: (input) => createUser(store, input, config.passwordHashing),
      close() {
        closing ??= (async () => {
          stopCountingIgnored();
          app.log.info(
            { streams: hub.size(), graceSeconds: config.shutdownGraceMs / 1000 },
            'stopping: new requests are answered 503, requests in flight may finish',
          );
          // Live streams end now: the clients reconnect once the server is back (or to another process).
          hub.close();
          // Refuses new requests from here on (synchronously, before the first wait).
          const drained = shutdown.drain();
          await migration.stop();
          const { cut } = await drained;
          if (cut.length > 0) {
            app.log.warn({ cut }, graceRanOutWords(config.shutdownGraceMs, cut.length));
          }
          await stopRetention();
          await store.close();
          lock?.release();
          await log?.close();
        })();
        return closing;
      },
    };
  } catch (error) {
    await opened?.close();
    lock?.release();
    await log?.close();
    throw error;
  }
}

/** Whether the store has no users yet (the CLI then explains how to add the first admin). */
export async function needsFirstAdmin(store: Store): Promise<boolean> {
  return (await countUsers(store)) === 0;
}
