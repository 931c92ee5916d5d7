/** A labelled progress bar; `total` unknown shows an indeterminate bar. */
export function Progress(props: { label: string; done: number; total: number | null }) {
  return (
    <div>
      <progress
        aria-label={props.label}
        value={props.total === null ? undefined : props.done}
        max={props.total ?? undefined}
      />
      <span className="muted">
        {props.label}: {props.done.toLocaleString()}
        {props.total === null ? '' : ` of ${props.total.toLocaleString()}`}
      </span>
    </div>
  );
}
