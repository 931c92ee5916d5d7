import type { ReactNode } from 'react';

/** One option of a radio group (inside its fieldset): the button, then its words, on one line. */
export function RadioChoice(props: {
  name: string;
  checked: boolean;
  onSelect: () => void;
  disabled?: boolean;
  children: ReactNode;
}) {
  return (
    <label style={{ flexDirection: 'row', alignItems: 'center' }}>
      <input
        type="radio"
        name={props.name}
        checked={props.checked}
        disabled={props.disabled}
        onChange={props.onSelect}
      />
      {props.children}
    </label>
  );
}
