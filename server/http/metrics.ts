/**
 * Prometheus text exposition, written by hand: a few counters and gauges
 * are all the server needs, and a dependency would be larger than this file.
 */
export interface Metrics {
  count(name: string, labels?: Record<string, string>, by?: number): void;
  gauge(name: string, read: () => number): void;
  render(): string;
}

const HELP: Record<string, string> = {
  curio_http_requests_total: 'HTTP requests by method, route and status.',
  curio_http_request_duration_seconds_sum: 'Total time spent answering requests, by route.',
  curio_http_request_duration_seconds_count: 'Requests timed, by route.',
  curio_sync_pushed_documents_total: 'Documents written by pushes, by collection.',
  curio_sync_pulled_documents_total: 'Documents returned by pulls, by collection.',
  curio_sync_conflicts_total: 'Pushed rows answered with a conflict, by collection.',
  curio_sync_refused_total: 'Pushed rows refused, by collection and code.',
  curio_logins_total: 'Sign-in attempts by result.',
  curio_stream_clients: 'Open live-stream connections.',
  curio_process_uptime_seconds: 'Seconds since the server started.',
  curio_process_resident_memory_bytes: 'Resident memory of the server process.',
};

function key(labels: Record<string, string>): string {
  const parts = Object.entries(labels).map(
    ([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`,
  );
  return parts.length ? `{${parts.join(',')}}` : '';
}

export function createMetrics(): Metrics {
  const counters = new Map<string, Map<string, number>>();
  const gauges = new Map<string, () => number>();
  return {
    count(name, labels = {}, by = 1) {
      let series = counters.get(name);
      if (!series) counters.set(name, (series = new Map()));
      const k = key(labels);
      series.set(k, (series.get(k) ?? 0) + by);
    },
    gauge(name, read) {
      gauges.set(name, read);
    },
    render() {
      const lines: string[] = [];
      for (const [name, series] of counters) {
        lines.push(`# HELP ${name} ${HELP[name] ?? name}`, `# TYPE ${name} counter`);
        for (const [labels, value] of series) lines.push(`${name}${labels} ${value}`);
      }
      for (const [name, read] of gauges) {
        lines.push(`# HELP ${name} ${HELP[name] ?? name}`, `# TYPE ${name} gauge`, `${name} ${read()}`);
      }
      return `${lines.join('\n')}\n`;
    },
  };
}
