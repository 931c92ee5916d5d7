import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { entities, type EntityType } from '../../../../shared/entities';
import { conflictReason } from '../../../../shared/readable';
import { useTRPC } from '../../api/client';
import { usePermission } from '../../api/permissions';
import { NotAllowed } from '../../components/NotAllowed';
import { ErrorText } from '../../components/ErrorText';
import { describeValue } from '../../forms/field-diff';
import { formFieldsOf, labelOf } from '../../forms/form-fields';
import { contestedFields, mergedByItself, toResolveChoices, type ChangedBy, type Choice } from './choices';

/** Base, local and server side by side per field; choose per field or type a value; resolve or dismiss. */
export function ConflictDetail(props: { id: string; onClose: () => void }) {
  const trpc = useTRPC();
  const mayResolve = usePermission('resolveConflicts').allowed;
  const queryClient = useQueryClient();
  const record = useQuery(trpc.conflicts.get.queryOptions({ id: props.id }));
  const [choices, setChoices] = useState<Record<string, Choice>>({});
  const done = { onSuccess: () => void queryClient.invalidateQueries() };
  const resolve = useMutation(trpc.conflicts.resolve.mutationOptions(done));
  const dismiss = useMutation(trpc.conflicts.dismiss.mutationOptions(done));
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
  const reason = conflictReason(data);
  const kinds = Object.fromEntries(formFieldsOf(type).map((f) => [f.name, f.control.kind]));
  const open = data.status === 'open';
  const set = (field: string, choice: Choice) => setChoices((c) => ({ ...c, [field]: choice }));
  const submit = () =>
    resolve.mutate({
      id: data.id,
      choices: toResolveChoices(choices, kinds),
    });

  return (
    <section aria-labelledby="conflict-heading" className="card">
      <h3 id="conflict-heading">
        {entities[type].label}: {data.entityTitle}
      </h3>
      {reason ? <p className="notice">{reason}</p> : null}
      {data.kind === 'delete' ? (
        <p className="notice">
          This entry was edited here while it was deleted permanently elsewhere. The edit was kept.
        </p>
      ) : null}
      {fields.length > 0 ? <h4>Contested: choose what to keep</h4> : null}
      {fields.length > 0 ? (
        <table className="plain" aria-label="Field comparison">
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Base</th>
              <th scope="col">Local edit ({data.detectedBy.name})</th>
              <th scope="col">Server</th>
              <th scope="col">Keep</th>
            </tr>
          </thead>
          <tbody>
            {fields.map((field) => {
              const choice = choices[field] ?? { source: 'merged', text: '' };
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
                  <td role="radiogroup" aria-label={`Keep for ${labelOf(type, field)}`}>
                    {option('merged', `Current (${describeValue(data.merged?.[field])})`)}
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
      <ErrorText error={resolve.error ?? dismiss.error} />
      {!open ? (
        <p role="status">
          This conflict is {data.status}
          {data.closedBy ? ` by ${data.closedBy.name}` : ''}.
        </p>
      ) : null}
      {open ? <NotAllowed permission="resolveConflicts" /> : null}
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
                onClick={() => resolve.mutate({ id: data.id, deleteEntry: true })}
              >
                Delete permanently after all
              </button>
            ) : null}
            <button
              type="button"
              className="btn"
              onClick={() => dismiss.mutate({ id: data.id })}
              disabled={dismiss.isPending}
            >
              Dismiss
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
