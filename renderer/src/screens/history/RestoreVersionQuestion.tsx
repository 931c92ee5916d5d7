import type { EntityType } from '../../../../shared/entities';
import { readableChanges, type LinkTitles } from '../../../../shared/readable';
import type { Outputs } from '../../api/types';
import { ConfirmDialog } from '../../components/ConfirmDialog';

type Version = Outputs['history']['list'][number];

/**
 * The question before a past version is made current again: each field it changes, as it reads now and as
 * it will read. A restored version is a new change (the history keeps the current one), so a plain
 * confirmation; a field someone changed since the history was read is still refused by the core.
 */
export function RestoreVersionQuestion(props: {
  type: EntityType;
  version: Version;
  current: Version;
  titles: LinkTitles;
  busy: boolean;
  error: unknown;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const when = new Date(props.version.at).toLocaleString();
  const fields = [...new Set([...Object.keys(props.current.version), ...Object.keys(props.version.version)])];
  const changes = readableChanges(
    props.type,
    fields
      .filter((field) => field !== 'deletedAt')
      .map((field) => ({ field, from: props.current.version[field], to: props.version.version[field] })),
    props.titles,
  );
  return (
    <ConfirmDialog
      title={`Restore the version of ${when}?`}
      confirmLabel="Restore this version"
      busy={props.busy || changes.length === 0}
      error={props.error}
      onConfirm={props.onConfirm}
      onCancel={props.onCancel}
    >
      {changes.length === 0 ? (
        <p>That version reads as the current one: restoring it would change nothing.</p>
      ) : (
        <>
          <p>It is saved as a new change, for everyone; the current version stays in the history. It changes:</p>
          <ul aria-label="What the restore changes">
            {changes.map((change) => (
              <li key={change.field}>
                {change.label}: {change.from} → {change.to}
              </li>
            ))}
          </ul>
        </>
      )}
    </ConfirmDialog>
  );
}
