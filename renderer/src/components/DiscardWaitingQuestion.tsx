import { entities } from '../../../shared/entities';
import { counted, oneOrMany } from '../../../shared/readable';
import type { Outputs } from '../api/types';
import { labelOf } from '../forms/form-fields';
import { ConfirmDialog } from './ConfirmDialog';

export type WaitingEntry = Outputs['sync']['waiting'][number];

/** An entry of the waiting list, whatever its version: `type/id`. */
export const waitingKey = (entry: { type: string; id: string }) => `${entry.type}/${entry.id}`;

/** The waiting versions by entry (`type/id` → rev), as the list shows them at a moment. */
export function versionsOf(list: readonly WaitingEntry[]): Map<string, string | null> {
  return new Map(list.map((entry) => [waitingKey(entry), entry.rev]));
}

/**
 * The question before "Discard them": each waiting change it drops, by entry, with what the change is
 * (created here, edited and which fields, moved to or out of the trash, deleted here) and what discarding
 * does to it. It follows the waiting list live (`list`): an entry changed again, or one that began waiting,
 * while it is open is shown as it is now and named in an alert; the discard names the versions shown at
 * the click, so the core refuses one changed after that (CLIENT-10).
 */
export function DiscardWaitingQuestion(props: {
  /** The waiting changes now (live). */
  list: readonly WaitingEntry[];
  /** The waiting versions when the question opened. */
  asked: ReadonlyMap<string, string | null>;
  busy: boolean;
  error: unknown;
  onConfirm: (shown: { type: WaitingEntry['type']; id: string; rev: string | null }[]) => void;
  onCancel: () => void;
}) {
  const { list, asked } = props;
  const since = list.filter((entry) => !asked.has(waitingKey(entry)) || asked.get(waitingKey(entry)) !== entry.rev);
  const changes = counted(list.length, 'change');
  return (
    <ConfirmDialog
      title={`Discard ${counted(list.length, 'not-sent change')}?`}
      confirmLabel={`Discard ${changes}`}
      busy={props.busy || list.length === 0}
      error={props.error}
      onConfirm={() => props.onConfirm(list.map(({ type, id, rev }) => ({ type, id, rev })))}
      onCancel={props.onCancel}
    >
      <p>
        Each entry goes back to the version the server has; entries the server never had are removed. The discard is
        recorded in the audit. Export them first if you may need them.
      </p>
      {since.length > 0 ? (
        <p role="alert" className="notice">
          {sinceWords(since, asked)}
        </p>
      ) : null}
      <table className="plain" aria-label="What discarding drops">
        <thead>
          <tr>
            <th scope="col">Entry</th>
            <th scope="col">Not sent</th>
            <th scope="col">Discarding</th>
          </tr>
        </thead>
        <tbody>
          {list.map((entry) => (
            <tr key={waitingKey(entry)}>
              <th scope="row">{nameOf(entry)}</th>
              <td>
                {changeWords(entry)}
                {since.includes(entry) ? <em> (while this question was open)</em> : null}
              </td>
              <td>{DISCARD_WORDS[entry.kind]}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ConfirmDialog>
  );
}

const nameOf = (entry: WaitingEntry) => `${entities[entry.type].label} “${entry.title}”`;

/** What discarding does to an entry, by what its waiting change did. */
const DISCARD_WORDS: Record<WaitingEntry['kind'], string> = {
  new: 'Removed: the server never had it',
  changed: 'Goes back to the server’s version',
  trashed: 'Out of the trash again, as the server has it',
  restored: 'Back in the trash, as the server has it',
  deleted: 'Comes back as the server has it',
};

/** The waiting change in words: what it did to the entry, and which fields it sets apart from the server's. */
function changeWords(entry: WaitingEntry): string {
  const fields = entry.fields.map((field) => labelOf(entry.type, field)).join(', ');
  const edited = fields ? `edited ${fields}` : '';
  switch (entry.kind) {
    case 'new':
      return 'Created here';
    case 'deleted':
      return 'Deleted permanently here';
    case 'changed':
      return fields ? `Edited: ${fields}` : 'Edited';
    case 'trashed':
      return `Moved to the trash${edited ? `; ${edited}` : ''}`;
    case 'restored':
      return `Restored from the trash${edited ? `; ${edited}` : ''}`;
  }
}

/** What changed in the waiting list while the question was open, in words. */
function sinceWords(since: readonly WaitingEntry[], asked: ReadonlyMap<string, string | null>): string {
  const changedAgain = since.filter((entry) => asked.has(waitingKey(entry))).map(nameOf);
  const began = since.filter((entry) => !asked.has(waitingKey(entry))).map(nameOf);
  const parts = [
    ...(changedAgain.length > 0
      ? [`${changedAgain.join(', ')} ${oneOrMany(changedAgain.length, 'was', 'were')} changed again`]
      : []),
    ...(began.length > 0 ? [`${began.join(', ')} began waiting`] : []),
  ];
  return `While this question was open, ${parts.join(' and ')}: the list below shows the changes as they are now, and discarding drops what it shows.`;
}
