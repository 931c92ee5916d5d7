/**
 * A labelled progress bar while `progress` is set, nothing otherwise. A total of 0 is not known yet
 * (streams report it with their first progress event) and shows an indeterminate bar.
 */
export function Progress(props: { label: string; progress: { done: number; total: number } | null }) {
  if (!props.progress) return null;
  const { done, total } = props.progress;
  return (
    <div>
      <progress aria-label={props.label} value={total ? done : undefined} max={total || undefined} />
      <span className="muted">
        {props.label}: {done.toLocaleString()}
        {total ? ` of ${total.toLocaleString()}` : ''}
      </span>
    </div>
  );
}
