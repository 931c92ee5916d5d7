import { useMemo, useRef } from 'react';
import { entities } from '../../../shared/entities';
import { counted, oneOrMany } from '../../../shared/readable';
import type { Outputs } from '../api/types';
import { labelOf } from '../forms/form-fields';
import { ConfirmDialog } from './ConfirmDialog';
import { useWindowedRows } from './use-windowed-rows';

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
  const since = useMemo(
    () => list.filter((entry) => !asked.has(waitingKey(entry)) || asked.get(waitingKey(entry)) !== entry.rev),
    [list, asked],
  );
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
      <DropsTable list={list} since={since} />
    </ConfirmDialog>
  );
}

/**
 * Each change discarding drops, in a scroll box holding only the rows it shows (the table keeps its row
 * count and each row its index for assistive technology).
 */
function DropsTable(props: { list: readonly WaitingEntry[]; since: readonly WaitingEntry[] }) {
  const { list } = props;
  const since = useMemo(() => new Set(props.since), [props.since]);
  const scrollBox = useRef<HTMLDivElement>(null);
  const shown = useWindowedRows(scrollBox, list.length, 33);
  const spacer = (height: number) =>
    height > 0 ? (
      <tr aria-hidden="true">
        <td colSpan={3} style={{ height, padding: 0 }} />
      </tr>
    ) : null;
  return (
    <div ref={scrollBox} className="windowed" tabIndex={0} onKeyDown={shown.onKeyDown}>
      <table className="plain" aria-label="What discarding drops" aria-rowcount={list.length + 1}>
        <thead>
          <tr aria-rowindex={1}>
            <th scope="col">Entry</th>
            <th scope="col">Not sent</th>
            <th scope="col">Discarding</th>
          </tr>
        </thead>
        <tbody>
          {spacer(shown.before)}
          {shown.rows.map((row) => {
            const entry = list[row.index]!;
            return (
              <tr key={waitingKey(entry)} ref={shown.measure} data-index={row.index} aria-rowindex={row.index + 2}>
                <th scope="row">{nameOf(entry)}</th>
                <td>
                  {changeWords(entry)}
                  {since.has(entry) ? <em> (while this question was open)</em> : null}
                </td>
                <td>{DISCARD_WORDS[entry.kind]}</td>
              </tr>
            );
          })}
          {spacer(shown.after)}
        </tbody>
      </table>
    </div>
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

/** Entries an alert names one by one; past these it counts the rest. */
const NAMED_IN_ALERT = 5;

/** Entries by name: the first few, then how many more ("Dog “Rex”, Dog “Pup” and 3 more"). */
function namesOf(entries: readonly WaitingEntry[]): string {
  const named = entries.slice(0, NAMED_IN_ALERT).map(nameOf).join(', ');
  const more = entries.length - NAMED_IN_ALERT;
  return more > 0 ? `${named} and ${counted(more, 'more', 'more')}` : named;
}

/** What changed in the waiting list while the question was open, in words. */
function sinceWords(since: readonly WaitingEntry[], asked: ReadonlyMap<string, string | null>): string {
  const changedAgain = since.filter((entry) => asked.has(waitingKey(entry)));
  const began = since.filter((entry) => !asked.has(waitingKey(entry)));
  const parts = [
    ...(changedAgain.length > 0
      ? [`${namesOf(changedAgain)} ${oneOrMany(changedAgain.length, 'was', 'were')} changed again`]
      : []),
    ...(began.length > 0 ? [`${namesOf(began)} began waiting`] : []),
  ];
  return `While this question was open, ${parts.join(' and ')}: the list below shows the changes as they are now, and discarding drops what it shows.`;
}
