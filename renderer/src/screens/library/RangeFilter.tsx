import { useState } from 'react';
import type { FilterValue } from '../../state/list-store';

/** A year, a month or a day: "2025" is all of 2025. */
const PARTIAL_DATE = /^\d{4}(-\d{2}(-\d{2})?)?$/;
const WHOLE_NUMBER = /^\d+$/;

type End = 'from' | 'to';

/**
 * "From" and "to" boxes of one date or number field, both ends included and
 * either left empty. A box holding something that is not yet a date or
 * number says so and leaves the filter as it was.
 */
export function RangeFilter(props: {
  label: string;
  kind: 'date' | 'integer';
  value: FilterValue | undefined;
  onChange: (range: FilterValue | undefined) => void;
}) {
  const range = props.value && typeof props.value === 'object' && !Array.isArray(props.value) ? props.value : {};
  const ends = range as { from?: string | number; to?: string | number };
  const [typed, setTyped] = useState<Record<End, string | undefined>>({ from: undefined, to: undefined });
  const valid = props.kind === 'date' ? PARTIAL_DATE : WHOLE_NUMBER;
  const shown = (end: End) => typed[end] ?? (ends[end] === undefined ? '' : String(ends[end]));
  const change = (end: End, text: string) => {
    setTyped((t) => ({ ...t, [end]: text }));
    if (text !== '' && !valid.test(text)) return;
    const next: Record<string, string | number> = {};
    for (const other of ['from', 'to'] as const) {
      const value = other === end ? text : shown(other);
      if (value === '' || !valid.test(value)) continue;
      next[other] = props.kind === 'integer' ? Number(value) : value;
    }
    props.onChange(Object.keys(next).length > 0 ? next : undefined);
  };
  const wrong = (['from', 'to'] as const).filter((end) => shown(end) !== '' && !valid.test(shown(end)));
  return (
    <>
      {(['from', 'to'] as const).map((end) => (
        <label key={end}>
          {props.label} {end}
          <input
            value={shown(end)}
            inputMode="numeric"
            placeholder={props.kind === 'date' ? 'YYYY-MM-DD' : 'any'}
            size={props.kind === 'date' ? 11 : 6}
            aria-invalid={wrong.includes(end) || undefined}
            onChange={(event) => change(end, event.target.value.trim())}
          />
        </label>
      ))}
      {wrong.length > 0 ? (
        <span role="alert" className="field-error">
          {props.kind === 'date'
            ? 'Write a year, a month or a day: 2025, 2025-03, 2025-03-14.'
            : 'Write a whole number.'}
        </span>
      ) : null}
    </>
  );
}
