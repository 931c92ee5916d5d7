import { useState } from 'react';
import type { EntryLinkTarget } from '../../../shared/entry-link';
import { linkTo } from '../state/entry-route';

/**
 * "Copy link" for an entry: puts the link on the clipboard and shows it. Where the clipboard is
 * refused (an insecure page, a denied permission), the link is shown selected to copy by hand.
 */
export function CopyLinkButton({ target, label }: { target: EntryLinkTarget; label?: string }) {
  const [copied, setCopied] = useState<{ link: string; ok: boolean } | null>(null);
  const copy = () => {
    const link = linkTo(target);
    navigator.clipboard.writeText(link).then(
      () => setCopied({ link, ok: true }),
      () => setCopied({ link, ok: false }),
    );
  };
  return (
    <>
      <button type="button" className="btn" aria-label={label} onClick={copy}>
        Copy link
      </button>
      {copied?.ok ? (
        <span role="status" className="muted">
          Copied <code>{copied.link}</code>
        </span>
      ) : null}
      {copied && !copied.ok ? (
        <label>
          The clipboard is not available; copy the link by hand:{' '}
          <input readOnly value={copied.link} autoFocus onFocus={(event) => event.target.select()} />
        </label>
      ) : null}
    </>
  );
}
