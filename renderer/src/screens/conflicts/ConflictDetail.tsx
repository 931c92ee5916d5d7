import { skipToken, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useState } from 'react';
import { entities, type EntityType } from '../../../../shared/entities';
import { localTime } from '../../../../shared/readable';
import { useTRPC } from '../../api/client';
import { usePermission } from '../../api/permissions';
import { NotAllowed } from '../../components/NotAllowed';
import { ErrorText } from '../../components/ErrorText';
import { describeValue } from '../../forms/field-diff';
import { formFieldsOf, labelOf } from '../../forms/form-fields';
import {
  contestedFields,
  mergedByItself,
  sameValue,
  seenValues,
  toResolveChoices,
  type ChangedBy,
  type Choice,
} from './choices';
import { closedWords, keptWords } from './closed-words';
import { DeleteAfterAllDialog } from './DeleteAfterAllDialog';
import { DismissQuestion } from './DismissQuestion';
import { useConflictReason } from './use-conflict-reason';

/**
 * Base, local, server and the entry as it is now side by side per field; choose per field or type a
 * value; resolve or dismiss. NOTE: "now" follows the entry live (someone may edit it after the conflict
 * was recorded), and the resolution names the values shown, so the core refuses only a change made
 * after the admin saw it. The record is followed live too: when another admin (or window) closes it
 * meanwhile, the detail says who and what was kept, withdraws the choice and offers the way on.
 */
export function ConflictDetail(props: { id: string; onClose: () => void; onOpen: (id: string) => void }) {
  const trpc = useTRPC();
  const mayResolve = usePermission('resolveConflicts').allowed;
  const queryClient = useQueryClient();
  const record = useQuery(trpc.conflicts.get.queryOptions({ id: props.id }));
  const recordKey = trpc.conflicts.get.queryKey({ id: props.id });
  useSubscription(
    trpc.conflicts.onRecord.subscriptionOptions(
      { id: props.id },
      { onData: (next) => queryClient.setQueryData(recordKey, next) },
    ),
  );
  const reason = useConflictReason(record.data);
  const entry = record.data ? { type: record.data.entityType as EntityType, id: record.data.entityId } : null;
  const live = useSubscription(trpc.entities.onDocument.subscriptionOptions(entry ?? skipToken));
  const [choices, setChoices] = useState<Record<string, Choice>>({});
  const done = { onSuccess: () => void queryClient.invalidateQueries() };
  const resolve = useMutation(trpc.conflicts.resolve.mutationOptions(done));
  const dismiss = useMutation(
    trpc.conflicts.dismiss.mutationOptions({
      onSuccess: () => {
        setAskingDismiss(undefined);
        done.onSuccess();
      },
    }),
  );
  const me = useQuery(trpc.session.me.queryOptions()).data?.actor.id ?? null;
  const [seenOpen, setSeenOpen] = useState(false);
  /** The entry's version a "Delete permanently after all" question is open about, or null. */
  const [askingDelete, setAskingDelete] = useState<string | null>(null);
  /** The entry's version a "Dismiss" question is open about (null: gone here), or undefined when none is open. */
  const [askingDismiss, setAskingDismiss] = useState<string | null | undefined>(undefined);
  const status = record.data?.status;
  if (status === 'open' && !seenOpen) setSeenOpen(true);
  // Closed while shown open here, and not by this detail's own Resolve or Dismiss.
  const closedMeanwhile = seenOpen && status !== undefined && status !== 'open' && resolve.isIdle && dismiss.isIdle;
  const nextOpen = useQuery({
    ...trpc.conflicts.list.queryOptions({ status: 'open', limit: 1 }),
    enabled: closedMeanwhile,
  });
  if (!record.data) return <ErrorText error={record.error} />;
  const data = record.data;
  const type = data.entityType as EntityType;
  const fields = contestedFields(data);
  const merged = mergedByItself(data);
  const changedBy: Record<ChangedBy, string> = {
    local: `Local edit (${data.detectedBy.name})`,
    server: 'Server',
    both: 'Both sides, alike',
    unknown: 'One side (no common base)',
  };
  const kinds = Object.fromEntries(formFieldsOf(type).map((f) => [f.name, f.control.kind]));
  const open = data.status === 'open';
  const set = (field: string, choice: Choice) => setChoices((c) => ({ ...c, [field]: choice }));
  // The entry now (null: gone here); until it is known, the record's merged result stands in.
  const now: Record<string, unknown> | null | undefined =
    live.data === undefined ? data.merged : (live.data as Record<string, unknown> | null);
  const submit = () => {
    const chosen = toResolveChoices(choices, kinds);
    resolve.mutate({
      id: data.id,
      choices: chosen,
      ...(live.data ? { seen: seenValues(Object.keys(chosen), live.data as Record<string, unknown>) } : {}),
    });
  };

  return (
    <section aria-labelledby="conflict-heading" className="card">
      <h3 id="conflict-heading">
        {entities[type].label}: {data.entityTitle}
      </h3>
      {closedMeanwhile ? (
        <div role="alert" className="notice">
          <p>
            {data.closedBy?.name ?? 'Someone'} {data.status} this conflict
            {data.closedAt ? ` at ${localTime(data.closedAt)}` : ''}, while it was open here. Nothing is left to choose,
            and a choice made here was not saved. What was kept is shown below.
          </p>
          <div className="toolbar">
            <button type="button" className="btn" onClick={props.onClose}>
              Back to the list
            </button>
            {nextOpen.data?.items[0] ? (
              <button type="button" className="btn primary" onClick={() => props.onOpen(nextOpen.data.items[0]!.id)}>
                Next open conflict
              </button>
            ) : nextOpen.data ? (
              <span className="muted">No other conflict is open.</span>
            ) : null}
          </div>
        </div>
      ) : null}
      {reason ? <p className="notice">{reason}</p> : null}
      {fields.length > 0 ? <h4>Contested: choose what to keep</h4> : null}
      {fields.length > 0 ? (
        <table className="plain" aria-label="Field comparison">
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Base</th>
              <th scope="col">Local edit ({data.detectedBy.name})</th>
              <th scope="col">Server</th>
              <th scope="col">Now</th>
              <th scope="col">{open ? 'Keep' : 'Kept'}</th>
            </tr>
          </thead>
          <tbody>
            {fields.map((field) => {
              const choice = choices[field] ?? { source: 'merged', text: '' };
              const changedSince = open && now !== undefined && !sameValue(now?.[field], data.merged?.[field]);
              const name = `choice-${field}`;
              const option = (source: Choice['source'], label: string) => (
                <label style={{ flexDirection: 'row', alignItems: 'center', fontWeight: 400 }}>
                  <input
                    type="radio"
                    name={name}
                    checked={choice.source === source}
                    disabled={!open}
                    onChange={() => set(field, { source, text: choice.text })}
                  />
                  {label}
                </label>
              );
              return (
                <tr key={field}>
                  <th scope="row">{labelOf(type, field)}</th>
                  <td>{describeValue(data.base?.[field])}</td>
                  <td>{describeValue(data.local?.[field])}</td>
                  <td>{describeValue(data.server?.[field])}</td>
                  <td>
                    {now === null ? 'deleted here' : describeValue(now?.[field])}
                    {changedSince && now !== null ? (
                      <em className="muted"> (changed after this conflict was recorded)</em>
                    ) : null}
                  </td>
                  {open ? (
                    <td role="radiogroup" aria-label={`Keep for ${labelOf(type, field)}`}>
                      {option('merged', 'As it is now')}
                      {option('local', 'Local edit')}
                      {option('server', 'Server')}
                      {option('value', 'Type a value')}
                      {choice.source === 'value' ? (
                        <input
                          aria-label={`Value for ${labelOf(type, field)}`}
                          value={choice.text}
                          onChange={(e) => set(field, { source: 'value', text: e.target.value })}
                        />
                      ) : null}
                    </td>
                  ) : (
                    <td>{keptWords(data, field)}</td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
      {merged.length > 0 ? (
        <>
          <h4>Changed on one side only: merged by itself</h4>
          <table className="plain" aria-label="Merged by itself">
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">Base</th>
                <th scope="col">Changed by</th>
                <th scope="col">Kept</th>
              </tr>
            </thead>
            <tbody>
              {merged.map(({ field, by }) => (
                <tr key={field}>
                  <th scope="row">{labelOf(type, field)}</th>
                  <td>{describeValue(data.base?.[field])}</td>
                  <td>{changedBy[by]}</td>
                  <td>{describeValue((data.merged ?? (by === 'server' ? data.server : data.local))?.[field])}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
      <ErrorText error={resolve.error} />
      {!open ? <p role="status">{closedWords(data)}</p> : null}
      {open ? <NotAllowed permission="resolveConflicts" /> : null}
      {open && mayResolve && askingDelete !== null ? (
        <DeleteAfterAllDialog
          conflictId={data.id}
          type={type}
          id={data.entityId}
          title={data.entityTitle}
          asked={askingDelete}
          now={(live.data ?? null) as Record<string, unknown> | null}
          onClose={() => setAskingDelete(null)}
        />
      ) : null}
      {open && mayResolve && askingDismiss !== undefined ? (
        <DismissQuestion
          record={data}
          asked={askingDismiss}
          now={(live.data ?? null) as Record<string, unknown> | null}
          me={me}
          busy={dismiss.isPending}
          error={dismiss.error}
          onConfirm={(rev) => dismiss.mutate({ id: data.id, rev })}
          onCancel={() => {
            setAskingDismiss(undefined);
            dismiss.reset();
          }}
        />
      ) : null}
      <div className="toolbar">
        {open && mayResolve ? (
          <>
            <button type="button" className="btn primary" onClick={submit} disabled={resolve.isPending}>
              Resolve
            </button>
            {data.kind === 'delete' ? (
              <button
                type="button"
                className="btn danger"
                disabled={!live.data}
                title={
                  live.data
                    ? undefined
                    : live.data === null
                      ? 'This entry is already gone here: nothing is left to delete.'
                      : 'Reading the entry as it is now…'
                }
                onClick={() => setAskingDelete(String((live.data as { rev: string }).rev))}
              >
                Delete permanently after all…
              </button>
            ) : null}
            <button
              type="button"
              className="btn"
              disabled={live.data === undefined}
              title={live.data === undefined ? 'Reading the entry as it is now…' : undefined}
              onClick={() => setAskingDismiss(live.data ? String((live.data as { rev: string }).rev) : null)}
            >
              Dismiss…
            </button>
          </>
        ) : null}
        <button type="button" className="btn" onClick={props.onClose}>
          Close
        </button>
      </div>
    </section>
  );
}
