import type { ReactNode } from 'react';
import type { EntityType } from '../../../shared/entities';
import { entryHash } from '../../../shared/entry-link';
import { useUi } from '../state/ui-store';

/**
 * A link to an entry: opens it in the editor. Its address is the entry's
 * in-app route, so "copy link address" and middle-click keep working.
 */
export function EntryLink(props: { type: EntityType; id: string; children: ReactNode; className?: string }) {
  const openEditor = useUi((s) => s.openEditor);
  return (
    <a
      href={entryHash({ type: props.type, id: props.id })}
      className={props.className}
      onClick={(event) => {
        if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
        event.preventDefault();
        openEditor({ type: props.type, id: props.id });
      }}
    >
      {props.children}
    </a>
  );
}
