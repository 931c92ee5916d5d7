import { useState } from 'react';
import { duration } from '../../../../shared/validators';
import type { FilterValue } from '../../state/list-store';

/** A year, a month or a day: "2025" is all of 2025. */
const PARTIAL_DATE = /^\d{4}(-\d{2}(-\d{2})?)?$/;
const WHOLE_NUMBER = /^\d+$/;

export type RangeKind = 'date' | 'integer' | 'duration';

/** What each kind of box accepts, and how it says what it wants. */
const KINDS: Record<RangeKind, { valid: (text: string) => boolean; placeholder: string; hint: string }> = {
  date: {
    valid: (text) => PARTIAL_DATE.test(text),
    placeholder: 'YYYY-MM-DD',
    hint: 'Write a year, a month or a day: 2025, 2025-03, 2025-03-14.',
  },
  integer: { valid: (text) => WHOLE_NUMBER.test(text), placeholder: 'any', hint: 'Write a whole number.' },
  duration: {
    valid: (text) => duration.safeParse(text).success,
    placeholder: 'MM:SS',
    hint: 'Write a length as MM:SS or H:MM:SS, for example 30:00.',
  },
};

type End = 'from' | 'to';

/**
 * "From" and "to" boxes of one date, number or duration field, both ends included and
 * either left empty. A box holding something that is not yet a date, number
 * or length says so and leaves the filter as it was.
 */
export function RangeFilter(props: {
  label: string;
  kind: RangeKind;
  value: FilterValue | undefined;
  onChange: (range: FilterValue | undefined) => void;
}) {
  const range = props.value && typeof props.value === 'object' && !Array.isArray(props.value) ? props.value : {};
  const ends = range as { from?: string | number; to?: string | number };
  const [typed, setTyped] = useState<Record<End, string | undefined>>({ from: undefined, to: undefined });
  const kind = KINDS[props.kind];
  const shown = (end: End) => typed[end] ?? (ends[end] === undefined ? '' : String(ends[end]));
  const change = (end: End, text: string) => {
    setTyped((t) => ({ ...t, [end]: text }));
    if (text !== '' && !kind.valid(text)) return;
    const next: Record<string, string | number> = {};
    for (const other of ['from', 'to'] as const) {
      const value = other === end ? text : shown(other);
      if (value === '' || !kind.valid(value)) continue;
      next[other] = props.kind === 'integer' ? Number(value) : value;
    }
    props.onChange(Object.keys(next).length > 0 ? next : undefined);
  };
  const wrong = (['from', 'to'] as const).filter((end) => shown(end) !== '' && !kind.valid(shown(end)));
  return (
    <>
      {(['from', 'to'] as const).map((end) => (
        <label key={end}>
          {props.label} {end}
          <input
            value={shown(end)}
            inputMode="numeric"
            placeholder={kind.placeholder}
            size={props.kind === 'integer' ? 6 : 11}
            aria-invalid={wrong.includes(end) || undefined}
            onChange={(event) => change(end, event.target.value.trim())}
          />
        </label>
      ))}
      {wrong.length > 0 ? (
        <span role="alert" className="field-error">
          {kind.hint}
        </span>
      ) : null}
    </>
  );
}
