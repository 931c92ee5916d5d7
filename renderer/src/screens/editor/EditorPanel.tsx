import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { entities } from '../../../../shared/entities';
import { useTRPC } from '../../api/client';
import { toShownError } from '../../api/errors';
import { usePermission } from '../../api/permissions';
import { ErrorText } from '../../components/ErrorText';
import { loadDraft, type Draft } from '../../state/drafts';
import type { EditorTarget } from '../../state/ui-store';
import { useUi } from '../../state/ui-store';
import { BackLinks } from './BackLinks';
import { EditorForm } from './EditorForm';
import { NamesakeNotice } from './NamesakeNotice';

/** The side panel that edits one entry (or a new one); waits for the entry and any saved draft. */
export function EditorPanel({ target }: { target: EditorTarget }) {
  const trpc = useTRPC();
  const openEditor = useUi((s) => s.openEditor);
  const mayWrite = usePermission(target.id === null ? 'createEntries' : 'editEntries');
  const document = useQuery({
    ...trpc.entities.get.queryOptions({ type: target.type, id: target.id ?? '' }),
    enabled: target.id !== null,
  });
  const [draft, setDraft] = useState<Draft | null | undefined>(undefined);
  useEffect(() => {
    let alive = true;
    loadDraft(target.type, target.id).then(
      (found) => alive && setDraft(found ?? null),
      () => alive && setDraft(null),
    );
    return () => {
      alive = false;
    };
  }, [target.type, target.id]);

  const label = entities[target.type].label;
  const heading = target.id === null ? `New ${label.toLowerCase()}` : `Edit ${label.toLowerCase()}`;
  // An entry deleted permanently while a draft of it was kept: the form opens on the draft and says so.
  const goneWithDraft = Boolean(draft) && toShownError(document.error).code === 'NOT_FOUND';
  let body: React.ReactNode;
  if (document.error && !goneWithDraft) {
    body = (
      <>
        <ErrorText error={document.error} />
        <button type="button" className="btn" onClick={() => openEditor(null)}>
          Close
        </button>
      </>
    );
  } else if (draft === undefined || (target.id !== null && !document.data && !goneWithDraft)) {
    body = <p className="muted">Opening…</p>;
  } else {
    const saved = (document.data ?? null) as Record<string, unknown> | null;
    body = (
      <>
        {mayWrite.reason ? (
          <p role="status" className="notice">
            Read only. {mayWrite.reason}{' '}
            <button type="button" className="btn" onClick={() => openEditor(null)}>
              Close
            </button>
          </p>
        ) : null}
        {target.id !== null ? <NamesakeNotice type={target.type} id={target.id} canRename={mayWrite.allowed} /> : null}
        <EditorForm target={target} saved={saved} restoredDraft={draft ?? null} readOnly={mayWrite.reason} />
        {target.id !== null ? <BackLinks type={target.type} id={target.id} /> : null}
      </>
    );
  }
  return (
    <aside className="side-panel" aria-labelledby="editor-heading">
      <h2 id="editor-heading">{heading}</h2>
      {body}
    </aside>
  );
}
