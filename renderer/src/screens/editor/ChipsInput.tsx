import { useId, useState } from 'react';

/** A list of short names as chips: Enter or comma adds, Backspace on an empty box removes the last. */
export function ChipsInput(props: {
  label: string;
  value: string[];
  onChange: (value: string[]) => void;
  error?: string | undefined;
}) {
  const id = useId();
  const [text, setText] = useState('');
  const add = () => {
    const name = text.trim();
    if (name && !props.value.includes(name)) props.onChange([...props.value, name]);
    setText('');
  };
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <div className="chips" role="group" aria-label={props.label}>
        {props.value.map((chip) => (
          <span className="chip" key={chip}>
            {chip}
            <button
              type="button"
              aria-label={`Remove ${chip}`}
              onClick={() => props.onChange(props.value.filter((c) => c !== chip))}
            >
              ×
            </button>
          </span>
        ))}
        <input
          id={id}
          value={text}
          placeholder="Type and press Enter"
          aria-describedby={props.error ? `${id}-error` : undefined}
          onChange={(event) => setText(event.target.value)}
          onBlur={add}
          onKeyDown={(event) => {
            if (event.key === 'Enter' || event.key === ',') {
              event.preventDefault();
              add();
            } else if (event.key === 'Backspace' && !text && props.value.length > 0) {
              props.onChange(props.value.slice(0, -1));
            }
          }}
        />
      </div>
      {props.error ? (
        <span id={`${id}-error`} className="field-error">
          {props.error}
        </span>
      ) : null}
    </div>
  );
}
