import { entities, type EntityType } from '../../../../shared/entities';
import { whoDid } from '../../../../shared/readable';
import type { Outputs } from '../../api/types';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { describeValue } from '../../forms/field-diff';
import { labelOf } from '../../forms/form-fields';
import { contestedFields, sameValue } from './choices';

type ConflictRecord = Outputs['conflicts']['get'];
type Entry = Record<string, unknown> | null;

/**
 * The question before a conflict's "Dismiss": the entry stays as it is now (its contested fields shown with
 * that value) and the other side's version is not applied; the record moves to Dismissed, where it can still
 * be read. Like "Delete permanently after all" it names the version asked about (`asked`) and follows the
 * entry (`now`, live); changed (or gone) meanwhile, it says who did it and shows the entry as it is now, and
 * the dismissal names the version shown, so the core refuses one changed after that.
 */
export function DismissQuestion(props: {
  record: ConflictRecord;
  /** The entry's version when the question was asked (null: gone here). */
  asked: string | null;
  /** The entry as it is now (null: gone here). */
  now: Entry;
  /** The session's actor id: the person's own change elsewhere reads "You …". */
  me: string | null;
  busy: boolean;
  error: unknown;
  onConfirm: (rev: string | null) => void;
  onCancel: () => void;
}) {
  const { record, now } = props;
  const type = record.entityType as EntityType;
  const label = entities[type].label.toLowerCase();
  const title = record.entityTitle || '(untitled)';
  const shownRev = now ? String(now.rev) : null;
  const changed = changedWords(label, props.asked, now, props.me);
  const other = record.kind === 'delete' ? 'the permanent delete' : `the local edit (${record.detectedBy.name})`;
  const fields = contestedFields(record);
  return (
    <ConfirmDialog
      title={`Dismiss the conflict about this ${label}?`}
      confirmLabel="Dismiss"
      busy={props.busy}
      error={props.error}
      onConfirm={() => props.onConfirm(shownRev)}
      onCancel={props.onCancel}
    >
      <p>
        {now
          ? `“${title}” stays as it is now, and ${other} is not applied.`
          : `“${title}” is gone here and stays so; ${other} is not applied.`}{' '}
        The conflict moves to Dismissed, where it can still be read.
      </p>
      {changed ? (
        <p role="alert" className="notice">
          {changed}
        </p>
      ) : null}
      {fields.length > 0 && now ? (
        <table className="plain" aria-label="What dismissing leaves">
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Stays as it is now</th>
              <th scope="col">Not applied</th>
            </tr>
          </thead>
          <tbody>
            {fields.map((field) => (
              <tr key={field}>
                <th scope="row">{labelOf(type, field)}</th>
                <td>{describeValue(now[field])}</td>
                <td>{notApplied(record, now, field)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </ConfirmDialog>
  );
}

/** The side's value for `field` that dismissing leaves out: the local edit's, else the server's where it differs from now. */
function notApplied(record: ConflictRecord, now: Record<string, unknown>, field: string): string {
  for (const [side, name] of [
    [record.local, `local edit, ${record.detectedBy.name}`],
    [record.server, 'server'],
  ] as const) {
    if (side && !sameValue(side[field], now[field])) return `${describeValue(side[field])} (${name})`;
  }
  return 'Nothing: both sides are as it is now';
}

/** What changed since the question was asked, in words; null when the entry is still the version asked about. */
function changedWords(label: string, asked: string | null, now: Entry, me: string | null): string | null {
  if (now === null)
    return asked === null ? null : `This ${label} was deleted here while this question was open; it stays gone.`;
  if (String(now.rev) === asked) return null;
  const who = whoDid(now.updatedBy as { id?: string; name?: string } | null, me, `changed this ${label}`);
  return `${who} while this question was open: below is the ${label} as it is now, which dismissing leaves as it is.`;
}
