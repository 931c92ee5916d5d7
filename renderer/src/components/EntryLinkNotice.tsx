import { useEntryRoute } from '../state/entry-route';

/** Opens the entry an address's link names; says why when the link names none. */
export function EntryLinkNotice() {
  const link = useEntryRoute();
  if (!link.error) return null;
  return (
    <p role="alert" className="notice">
      This link cannot be opened: {link.error}{' '}
      <button type="button" className="btn" onClick={link.dismiss}>
        Dismiss
      </button>
    </p>
  );
}
