import { createHash, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../shared/errors';

/** The environment variable that holds the metrics token when no option gives one. */
export const METRICS_TOKEN_ENV = 'CURIO_METRICS_TOKEN';

/** The shortest metrics token a server accepts: 32 characters (`openssl rand -hex 32` gives 64). */
export const MIN_METRICS_TOKEN_LENGTH = 32;

/** Who may read /metrics (OPS-6): anyone who reaches the server, a scraper with the token, or no one. */
export type MetricsAccess = { kind: 'open' } | { kind: 'token'; token: string } | { kind: 'off' };

const WHERE = `--metrics-token, --metrics-token-file or ${METRICS_TOKEN_ENV}`;

/**
 * Resolves the options `metrics` and `metricsToken`, and the environment's token, into one access rule.
 * A token is refused in words (never echoed) when it is short or cannot travel in an HTTP header; a token
 * given together with `metrics: false` is refused as a contradiction. With metrics off, the environment's
 * token is ignored (it may be set for every process of a machine).
 */
export function resolveMetricsAccess(
  enabled: boolean | undefined,
  optionToken: string | undefined,
  envToken: string | undefined = process.env[METRICS_TOKEN_ENV],
): MetricsAccess {
  if (enabled === false) {
    if (optionToken !== undefined) {
      throw new AppError(
        'VALIDATION',
        '/metrics is turned off (--no-metrics), so a metrics token has nothing to protect: give one or the other.',
      );
    }
    return { kind: 'off' };
  }
  const token = optionToken ?? (envToken || undefined);
  if (token === undefined) return { kind: 'open' };
  if (!/^[\x21-\x7e]*$/.test(token)) {
    throw new AppError(
      'VALIDATION',
      `The metrics token (${WHERE}) may hold only visible ASCII characters, without spaces: it travels in an ` +
        'HTTP header. Make one with: openssl rand -hex 32',
    );
  }
  if (token.length < MIN_METRICS_TOKEN_LENGTH) {
    throw new AppError(
      'VALIDATION',
      `The metrics token (${WHERE}) is too short: ${token.length} characters; use at least ` +
        `${MIN_METRICS_TOKEN_LENGTH}, as long as a password nobody has to type. Make one with: openssl rand -hex 32`,
    );
  }
  return { kind: 'token', token };
}

/**
 * A check of a scrape's `Authorization` header against the token, in constant time: both sides are hashed
 * first, so neither the token's length nor a matching prefix shows in how long the answer takes.
 */
export function metricsTokenCheck(token: string): (authorization: string | undefined) => void {
  const expected = digest(token);
  return (authorization) => {
    const match = authorization === undefined ? null : /^Bearer +(\S+) *$/i.exec(authorization);
    if (!match) {
      throw new AppError(
        'UNAUTHORIZED',
        "This server's metrics need its metrics token: send Authorization: Bearer <token>, the token the server " +
          `was started with (${WHERE}). In Prometheus: authorization.credentials_file in the scrape config.`,
      );
    }
    if (!timingSafeEqual(digest(match[1]!), expected)) {
      throw new AppError(
        'UNAUTHORIZED',
        `The bearer token sent is not this server's metrics token. Send the token the server was started with (${WHERE}).`,
      );
    }
  };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Whether `host` only listens on this machine, where an open /metrics is no one else's to read. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
