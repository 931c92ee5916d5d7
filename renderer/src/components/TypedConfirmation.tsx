/**
 * The "type a word to confirm" field of destructive actions. The caller keeps
 * the typed text and compares it with `word`, so the submit button and the
 * action share one rule.
 */
export function TypedConfirmation(props: {
  word: string;
  value: string;
  onChange: (value: string) => void;
  /** Focus the field when it appears: for a dialog whose only input it is. */
  autoFocus?: boolean;
}) {
  return (
    <label>
      Type {props.word} to confirm
      <input
        value={props.value}
        onChange={(event) => props.onChange(event.target.value)}
        autoComplete="off"
        spellCheck={false}
        autoFocus={props.autoFocus}
      />
    </label>
  );
}
