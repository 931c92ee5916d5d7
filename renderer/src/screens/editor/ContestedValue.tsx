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
        <dd style={{ margin: 0 }}>{describeValue(props.mine)}</dd>
        <dt>Now stored ({who})</dt>
        <dd style={{ margin: 0 }}>{describeValue(props.contest.theirs)}</dd>
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
