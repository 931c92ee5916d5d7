import { useMutation, useQuery } from '@tanstack/react-query';
import { useTRPC } from '../../api/client';
import { ErrorText } from '../../components/ErrorText';

/**
 * The full check of this profile's database (every page and row), on request, and the result of the
 * last automatic one (at start for a small profile, in the background after a big one opened). It only reads.
 */
export function IntegrityCheckPanel() {
  const trpc = useTRPC();
  const check = useMutation(trpc.recovery.check.mutationOptions());
  const encryption = useQuery(trpc.recovery.encryption.queryOptions());
  const lastCheck = useQuery(trpc.recovery.lastCheck.queryOptions());
  const report = check.data;
  const last = lastCheck.data;
  return (
    <section aria-labelledby="integrity-heading" className="card">
      <h3 id="integrity-heading">Database check</h3>
      <p className="muted">
        A quick check runs every time Curio starts (for a big database, in the background once it is open). The full
        check reads every page and entry; it changes nothing.
      </p>
      {last ? (
        <p aria-label="last automatic check">
          {last.running
            ? 'The automatic check is running.'
            : last.report
              ? `Last automatic check: ${new Date(last.report.checkedAt).toLocaleString()}, ${
                  last.report.ok ? 'no problems found' : `damage found (${last.report.problems.join(' ')})`
                }.`
              : 'No automatic check has finished since Curio started.'}
        </p>
      ) : null}
      {encryption.data ? (
        <p aria-label="encryption at rest">
          {encryption.data.encrypted
            ? 'The database and its snapshots are encrypted on disk, with a key kept by the OS keyring.'
            : `The database is not encrypted on disk. ${encryption.data.notice ?? ''}`}
        </p>
      ) : null}
      <button type="button" className="btn" disabled={check.isPending} onClick={() => check.mutate()}>
        {check.isPending ? 'Checking…' : 'Run full check'}
      </button>
      {report ? (
        <div role="status">
          {report.ok ? (
            <p>No problems found ({new Date(report.checkedAt).toLocaleString()}).</p>
          ) : (
            <>
              <p>The check found damage. Restart Curio to open the recovery screen, or restore a snapshot below.</p>
              <ul>
                {report.problems.map((problem) => (
                  <li key={problem}>{problem}</li>
                ))}
              </ul>
            </>
          )}
        </div>
      ) : null}
      <ErrorText error={check.error} />
    </section>
  );
}
