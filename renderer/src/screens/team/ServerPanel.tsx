import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../../api/client';
import { ErrorText } from '../../components/ErrorText';

const STORAGE_NAMES = { sqlite: 'SQLite', postgres: 'PostgreSQL' } as const;

function size(bytes: number | null): string {
  if (bytes === null) return 'size unknown';
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

function lastRun(run: { at: string; by: string | null } | null): string {
  if (!run) return 'never';
  return `${new Date(run.at).toLocaleString()}${run.by ? ` by ${run.by}` : ''}`;
}

/** The server at a glance for admins (ADMIN-7): version, storage, people, documents, last purge and backup. */
export function ServerPanel() {
  const trpc = useTRPC();
  const info = useQuery(trpc.team.serverInfo.queryOptions());
  const server = info.data;
  return (
    <section aria-labelledby="server-panel-heading" className="card">
      <h3 id="server-panel-heading">Server</h3>
      <ErrorText error={info.error} />
      {server ? (
        <dl aria-label="Server details">
          <dt>Version</dt>
          <dd>
            {server.version} (protocol {server.protocol}), running since {new Date(server.startedAt).toLocaleString()}
          </dd>
          <dt>Storage</dt>
          <dd>
            {STORAGE_NAMES[server.storage.kind]}, {size(server.storage.sizeBytes)}
          </dd>
          <dt>Users</dt>
          <dd>{server.users.toLocaleString()}</dd>
          <dt>Signed-in sessions</dt>
          <dd>{server.liveSessions.toLocaleString()}</dd>
          <dt>Documents</dt>
          <dd>
            {Object.entries(server.documents)
              .map(([collection, count]) => `${collection}: ${count.toLocaleString()}`)
              .join(', ')}
          </dd>
          <dt>Last purge</dt>
          <dd>{lastRun(server.lastPurge)}</dd>
          <dt>Last backup</dt>
          <dd>{lastRun(server.lastBackup)}</dd>
        </dl>
      ) : null}
    </section>
  );
}
