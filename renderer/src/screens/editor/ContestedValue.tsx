import { useQuery } from '@tanstack/react-query';
import { entities, titleOf, type EntityType } from '../../../../shared/entities';
import { useTRPC } from '../../api/client';
import { describeValue } from '../../forms/field-diff';
import type { Contest } from '../../forms/follow-document';
import type { FormValues } from '../../forms/form-values';

/**
 * Both values of a field the person changed while someone else changed it too:
 * theirs (typed here) and the stored one, with who stored it. Save waits until
 * the person keeps one (or types a new value into the field).
 */
export function ContestedValue(props: {
  label: string;
  mine: FormValues[string] | undefined;
  contest: Contest;
  /** For a reference field: the type it links to, so both values read as titles, not ids. */
  reference?: EntityType | undefined;
  onChoose: (pick: 'mine' | 'theirs') => void;
}) {
  const who = props.contest.by ?? 'Someone';
  return (
    <div role="group" aria-label={`${props.label}: choose a value`} className="notice contested">
      <p>
        {who} changed {props.label} while you were editing.
      </p>
      <dl style={{ display: 'grid', gridTemplateColumns: 'auto 1fr', gap: '2px 12px', margin: '4px 0' }}>
        <dt>Yours</dt>
        <dd style={{ margin: 0 }}>
          <Value value={props.mine} reference={props.reference} />
        </dd>
        <dt>Now stored ({who})</dt>
        <dd style={{ margin: 0 }}>
          <Value value={props.contest.theirs} reference={props.reference} />
        </dd>
      </dl>
      <div className="toolbar">
        <button type="button" className="btn" onClick={() => props.onChoose('mine')}>
          Keep yours
        </button>
        <button type="button" className="btn" onClick={() => props.onChoose('theirs')}>
          Use {who}’s
        </button>
      </div>
    </div>
  );
}

function Value({ value, reference }: { value: FormValues[string] | undefined; reference: EntityType | undefined }) {
  const trpc = useTRPC();
  const id = typeof value === 'string' ? value : '';
  const linked = useQuery({
    ...trpc.entities.get.queryOptions({ type: reference ?? 'video', id }),
    enabled: reference !== undefined && id !== '',
  });
  if (reference && linked.data) return <>{titleOf(reference, linked.data as Record<string, unknown>)}</>;
  if (reference && id) return <>{`a ${entities[reference].label.toLowerCase()}`}</>;
  return <>{describeValue(value)}</>;
}
