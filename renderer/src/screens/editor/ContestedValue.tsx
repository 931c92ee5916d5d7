import { useQuery } from '@tanstack/react-query';
import { Fragment } from 'react';
import { entities, titleOf, type EntityType } from '../../../../shared/entities';
import { ELSEWHERE } from '../../../../shared/readable';
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
  const words = contestWords(props.label, props.contest);
  return (
    <div role="group" aria-label={`${props.label}: choose a value`} className="notice contested">
      <p>{words.said}</p>
      <dl style={{ display: 'grid', gridTemplateColumns: 'auto 1fr', gap: '2px 12px', margin: '4px 0' }}>
        <dt>{words.mine}</dt>
        <dd style={{ margin: 0 }}>
          <ShownValue value={props.mine} reference={props.reference} />
        </dd>
        <dt>{words.theirs}</dt>
        <dd style={{ margin: 0 }}>
          <ShownValue value={props.contest.theirs} reference={props.reference} />
        </dd>
      </dl>
      <div className="toolbar">
        <button type="button" className="btn" onClick={() => props.onChoose('mine')}>
          {words.keepMine}
        </button>
        <button type="button" className="btn" onClick={() => props.onChoose('theirs')}>
          {words.useTheirs}
        </button>
      </div>
    </div>
  );
}

/** A form value in words; a link (one or several) reads as the linked entries' titles, not ids. */
export function ShownValue(props: { value: FormValues[string] | undefined; reference: EntityType | undefined }) {
  const { value, reference } = props;
  if (reference && Array.isArray(value) && value.length > 0)
    return (
      <>
        {value.map((id, index) => (
          <Fragment key={id}>
            {index > 0 ? ', ' : ''}
            <ShownValue value={id} reference={reference} />
          </Fragment>
        ))}
      </>
    );
  return <OneValue value={value} reference={reference} />;
}

function OneValue({ value, reference }: { value: FormValues[string] | undefined; reference: EntityType | undefined }) {
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

/**
 * The choice in words. When the stored value is the person's own, saved in another window or on another
 * device, both values are theirs: the two are told apart by where they are, not by who.
 */
function contestWords(label: string, contest: Contest) {
  if (contest.byYou) {
    return {
      said: `You changed ${label} ${ELSEWHERE} while you were editing it here.`,
      mine: 'Typed here',
      theirs: 'Now stored (yours, from elsewhere)',
      keepMine: 'Keep the one typed here',
      useTheirs: 'Use the stored one',
    };
  }
  const who = contest.by ?? 'Someone';
  return {
    said: `${who} changed ${label} while you were editing.`,
    mine: 'Yours',
    theirs: `Now stored (${who})`,
    keepMine: 'Keep yours',
    useTheirs: `Use ${who}’s`,
  };
}
