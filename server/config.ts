import path from 'node:path';
import { AppError } from '../shared/errors';
import { MAX_SETUP_CODE_DAYS } from '../shared/team';
import { DEFAULT_PASSWORD_HASHING, type PasswordHashing } from './auth';
import { retentionSettings, type RetentionSettings } from './retention';
import { DEFAULT_PULL_PAGE_BYTES } from './sync';
import {
  DEFAULT_PULL_ENCODINGS,
  DEFAULT_SHUTDOWN_GRACE_MS,
  resolveConnectionLimits,
  resolveMetricsAccess,
  type ConnectionLimits,
  type ContentEncoding,
  type MetricsAccess,
} from './http';
import { DEFAULT_LOGIN_BACKOFF, type LoginBackoffSettings, type RateLimit } from './limits';

/** Everything `startServer` accepts; all optional, defaults make a fresh machine work. */
export interface ServerOptions {
  /** Default 127.0.0.1: only this machine. Use 0.0.0.0 (behind TLS or a proxy) to serve a team. */
  host?: string;
  /** Default 5309; 0 picks any free port. */
  port?: number;
  /** SQLite folder; default ./.curio/server. */
  dataDir?: string;
  /** `postgres://…`; when set, PostgreSQL replaces SQLite. Default: env DATABASE_URL. */
  databaseUrl?: string | undefined;
  /** pino level: fatal, error, warn, info, debug, trace or silent. Default info. */
  logLevel?: string;
  /** Where JSON logs go (default stdout). */
  logStream?: NodeJS.WritableStream;
  /** Append JSON logs to this file instead of stdout. Lines that cannot be written are dropped and counted (OPS-4). */
  logFile?: string | undefined;
  /** /health/ready answers 503 when the SQLite data folder's disk has less free space (OPS-2); default 64 MiB. */
  minFreeDiskBytes?: number;
  /** Serve /metrics (OPS-3); default true. false leaves the route out (404), for a server nobody scrapes. */
  metrics?: boolean;
  /**
   * When set, /metrics answers only `Authorization: Bearer <this token>`, else 401 (OPS-6). At least 32 visible
   * ASCII characters. Default: env CURIO_METRICS_TOKEN; without either, /metrics is open to whoever reaches it.
   */
  metricsToken?: string | undefined;
  /** PEM certificate and key: serve HTTPS directly. */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** Fastify trustProxy: true, a hop count, or addresses of the proxies whose X-Forwarded-For is believed. */
  trustProxy?: boolean | string | string[];
  /** Origins allowed by CORS; none by default. */
  corsOrigins?: string[];
  /** Largest request body in bytes; default 16 MiB. */
  bodyLimit?: number;
  /** Largest pull page in bytes of document JSON (PULL-6); default 8 MiB. A page always holds one document. */
  pullPageBytes?: number;
  /**
   * Encodings pull answers are compressed with when the client accepts them, best first; default brotli, then
   * gzip (issue 16). An empty list sends them uncompressed.
   */
  pullEncodings?: ContentEncoding[];
  /**
   * What is deleted after how long (RETAIN-*): server audit, tombstones, spent setup codes, how often. Defaults in
   * DEFAULT_RETENTION.
   */
  retention?: Partial<RetentionSettings>;
  /** Stream heartbeat interval; default 15 s. */
  heartbeatMs?: number;
  /** Open live streams per session; opening one more closes the oldest (STREAM-8). Default 4. */
  maxStreamsPerSession?: number;
  /** Header, body and idle timeouts and the connection cap per client address (CONN-1, CONN-2). */
  connections?: Partial<ConnectionLimits>;
  /**
   * How long a stopping server lets requests in flight finish before it closes their connections (OPS-5); new
   * requests are answered 503 meanwhile. Default 10 s.
   */
  shutdownGraceMs?: number;
  accessTokenTtlSeconds?: number;
  sessionIdleDays?: number;
  /** How long an invitation or reset code lasts unless the admin says otherwise (ADMIN-6); default 7 days. */
  setupCodeDays?: number;
  /** argon2id cost; lower only in tests. */
  passwordHashing?: Partial<PasswordHashing>;
  /** Waits after failed sign-ins, per user name and client address (AUTH-7). */
  loginBackoff?: Partial<LoginBackoffSettings>;
  /** Sign-in and refresh attempts allowed per client address per window. */
  loginRateLimit?: RateLimit;
  /** Requests allowed per session per window on every other /v1 route (LIMIT-2). */
  sessionRateLimit?: RateLimit;
}

export type ResolvedConfig = Required<
  Omit<
    ServerOptions,
    | 'databaseUrl'
    | 'logStream'
    | 'tls'
    | 'passwordHashing'
    | 'loginBackoff'
    | 'logFile'
    | 'connections'
    | 'retention'
    | 'metrics'
    | 'metricsToken'
  >
> & {
  /** `metrics`, `metricsToken` and CURIO_METRICS_TOKEN, resolved into one rule. */
  metricsAccess: MetricsAccess;
  retention: RetentionSettings;
  databaseUrl: string | undefined;
  logStream: NodeJS.WritableStream | undefined;
  tls: ServerOptions['tls'];
  passwordHashing: PasswordHashing;
  loginBackoff: LoginBackoffSettings;
  logFile: string | undefined;
  connections: ConnectionLimits;
};

export const DEFAULT_PORT = 5309;

function setupCodeDays(days: number): number {
  if (!Number.isInteger(days) || days < 1 || days > MAX_SETUP_CODE_DAYS) {
    throw new AppError('VALIDATION', `Setup codes last 1 to ${MAX_SETUP_CODE_DAYS} days; got ${days}.`);
  }
  return days;
}

/** pino's levels, from the fewest lines to the most; `silent` writes none. */
const LOG_LEVELS = ['silent', 'fatal', 'error', 'warn', 'info', 'debug', 'trace'];

function port(value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new AppError('VALIDATION', `The port is a whole number from 0 to 65535 (0 picks a free one); got ${value}.`);
  }
  return value;
}

function logLevel(level: string): string {
  if (!LOG_LEVELS.includes(level)) {
    throw new AppError('VALIDATION', `The log level is one of ${LOG_LEVELS.join(', ')}; got "${level}".`);
  }
  return level;
}

/** Where the data lives: every CLI command needs this, and only `serve` the rest of the configuration. */
export function resolveStorage(options: Pick<ServerOptions, 'dataDir' | 'databaseUrl'>): {
  dataDir: string;
  databaseUrl: string | undefined;
} {
  const given = options.databaseUrl || undefined;
  return {
    dataDir: path.resolve(options.dataDir ?? path.join('.curio', 'server')),
    databaseUrl: postgresUrl(
      given ?? (process.env.DATABASE_URL || undefined),
      given ? '--database-url' : 'DATABASE_URL',
    ),
  };
}

const POSTGRES_FORM = 'postgres://USER:PASSWORD@HOST:5432/DATABASE';

/**
 * A PostgreSQL address, or a refusal that says what is wrong with it and where it came from. Before, pg read
 * any text it was given: a `mysql://` address (a DATABASE_URL set machine-wide for another program) became
 * PostgreSQL on localhost:5432, a port out of range answered only "Invalid URL". The password is never echoed.
 */
function postgresUrl(value: string | undefined, source: string): string | undefined {
  if (value === undefined) return undefined;
  let url: URL | null = null;
  try {
    url = new URL(value);
  } catch {
    url = null;
  }
  if (url?.protocol === 'postgres:' || url?.protocol === 'postgresql:') return value;
  const shown = value.replace(/(\/\/[^:/@]*:).*@/, '$1***@');
  throw new AppError(
    'VALIDATION',
    url
      ? `${source} "${shown}" is a ${url.protocol.slice(0, -1)} address; the server stores its data in PostgreSQL ` +
          `(${POSTGRES_FORM}) or, without one, in SQLite in --data-dir.`
      : `${source} "${shown}" is not an address the server can read. Write it as ${POSTGRES_FORM} (a port ` +
          'from 1 to 65535; @, : and / in the password written as %40, %3A and %2F).',
  );
}

export function resolveConfig(options: ServerOptions): ResolvedConfig {
  return {
    host: options.host ?? '127.0.0.1',
    port: port(options.port ?? DEFAULT_PORT),
    ...resolveStorage(options),
    metricsAccess: resolveMetricsAccess(options.metrics, options.metricsToken),
    logLevel: logLevel(options.logLevel ?? 'info'),
    logStream: options.logStream,
    logFile: options.logFile,
    minFreeDiskBytes: options.minFreeDiskBytes ?? 64 * 1024 * 1024,
    tls: options.tls,
    trustProxy: options.trustProxy ?? false,
    corsOrigins: options.corsOrigins ?? [],
    bodyLimit: options.bodyLimit ?? 16 * 1024 * 1024,
    pullPageBytes: options.pullPageBytes ?? DEFAULT_PULL_PAGE_BYTES,
    pullEncodings: options.pullEncodings ?? [...DEFAULT_PULL_ENCODINGS],
    retention: retentionSettings(options.retention),
    heartbeatMs: options.heartbeatMs ?? 15_000,
    maxStreamsPerSession: options.maxStreamsPerSession ?? 4,
    connections: resolveConnectionLimits(options.connections),
    shutdownGraceMs: options.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS,
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 15 * 60,
    sessionIdleDays: options.sessionIdleDays ?? 30,
    setupCodeDays: setupCodeDays(options.setupCodeDays ?? 7),
    passwordHashing: { ...DEFAULT_PASSWORD_HASHING, ...options.passwordHashing },
    loginBackoff: { ...DEFAULT_LOGIN_BACKOFF, ...options.loginBackoff },
    loginRateLimit: options.loginRateLimit ?? { max: 20, windowSeconds: 60 },
    // NOTE: one client syncing flat out (pages of 1000, batches of 200) makes at most about 60 requests a second.
    sessionRateLimit: options.sessionRateLimit ?? { max: 1000, windowSeconds: 10 },
  };
}
