import { toShownError } from '../api/errors';

/** An error in words, announced to screen readers. */
export function ErrorText(props: { error: unknown }) {
  if (!props.error) return null;
  const shown = toShownError(props.error);
  return (
    <p role="alert" className="error">
      {shown.message}
    </p>
  );
}
