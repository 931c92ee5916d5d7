import { entities } from '../../../../shared/entities';
import type { Outputs } from '../../api/types';

/**
 * What links to an entry about to be deleted for good (the Trash's permanent delete, a delete
 * conflict's "after all"): the summary, then each referring entry; undefined while it loads.
 */
export function ReferencedBy(props: { report: Outputs['trash']['references'] | undefined }) {
  const { report } = props;
  if (!report) return <p className="muted">Looking for references…</p>;
  return (
    <>
      <p role="status">
        <strong>{report.summary}</strong>
      </p>
      {report.referrers.length > 0 ? (
        <ul aria-label="Referenced by">
          {report.referrers.map((r) => (
            <li key={`${r.id}:${r.field}`}>
              {entities[r.type].label}: {r.title || '(untitled)'}
              {r.inTrash ? ' (in the trash)' : ''}
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}
