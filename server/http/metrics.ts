import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The server's Prometheus metrics (OPS-3), on prom-client. Each running
 * server has its own registry, so several servers in one process (tests)
 * never share figures. To add a metric: one line in COUNTERS (name, help,
 * label names), then `metrics.count(name, labels)` where it happens.
 */
export interface Metrics {
  readonly registry: Registry;
  /** Adds `by` (default 1) to a counter declared in COUNTERS. */
  count(name: CounterName, labels?: Record<string, string>, by?: number): void;
  /** A value read when /metrics is scraped; help from GAUGE_HELP unless given. */
  gauge(name: string, read: () => number, help?: string): void;
  /** Records how long one HTTP request took (histogram per method and route). */
  observeRequest(labels: { method: string; route: string; status: string }, seconds: number): void;
  render(): Promise<string>;
  readonly contentType: string;
}

/** Every counter the server keeps: help text and label names. */
const COUNTERS = {
  curio_http_requests_total: ['HTTP requests by method, route and status.', ['method', 'route', 'status']],
  curio_sync_pushed_documents_total: ['Documents written by pushes, by collection.', ['collection']],
  curio_sync_pulled_documents_total: ['Documents returned by pulls, by collection.', ['collection']],
  curio_sync_pulled_bytes_total: [
    'Bytes of pull answers: identity before compression, br or gzip as sent compressed.',
    ['encoding'],
  ],
  curio_sync_conflicts_total: ['Pushed rows answered with a conflict, by collection.', ['collection']],
  curio_sync_refused_total: ['Pushed rows refused, by collection and code.', ['collection', 'code']],
  curio_sync_notifications_ignored_total: [
    'PostgreSQL change notifications that were not valid hints and were ignored (STREAM-7), by reason.',
    ['reason'],
  ],
  curio_retention_deleted_total: ['Rows removed by retention (RETAIN-*), by kind.', ['kind']],
  curio_logins_total: ['Sign-in attempts by result.', ['result']],
  curio_connections_refused_total: ['Connections closed at once: their address held the most allowed (CONN-2).', []],
  curio_log_lines_dropped_total: ['Log lines dropped because the log could not be written (OPS-4).', []],
  curio_requests_refused_total: [
    'Requests refused by a limit (LIMIT-3): sign-in per address, sign-in waits, requests per session.',
    ['limit'],
  ],
} as const satisfies Record<string, readonly [string, readonly string[]]>;

export type CounterName = keyof typeof COUNTERS;

const GAUGE_HELP: Record<string, string> = {
  curio_stream_clients: 'Open live-stream connections.',
  curio_process_uptime_seconds: 'Seconds since the server started.',
  curio_process_resident_memory_bytes: 'Resident memory of the server process.',
};

/** Seconds; from a cached pull to a large push over a slow link. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export function createMetrics(): Metrics {
  const registry = new Registry();
  const counters = new Map<string, Counter>();
  for (const [name, [help, labelNames]] of Object.entries(COUNTERS)) {
    counters.set(name, new Counter({ name, help, labelNames: [...labelNames], registers: [registry] }));
  }
  const latency = new Histogram({
    name: 'curio_http_request_duration_seconds',
    help: 'Time spent answering HTTP requests, by method, route and status.',
    labelNames: ['method', 'route', 'status'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  return {
    registry,
    count(name, labels = {}, by = 1) {
      counters.get(name)!.inc(labels, by);
    },
    gauge(name, read, help) {
      new Gauge({
        name,
        help: help ?? GAUGE_HELP[name] ?? name,
        registers: [registry],
        collect() {
          this.set(read());
        },
      });
    },
    observeRequest(labels, seconds) {
      latency.observe(labels, seconds);
    },
    render: () => registry.metrics(),
    contentType: registry.contentType,
  };
}
