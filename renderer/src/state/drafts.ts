import Dexie, { type EntityTable } from 'dexie';
import type { EntityType } from '../../../shared/entities';
import type { Contest } from '../forms/follow-document';
import type { FormValues } from '../forms/form-values';

/** An unsaved form, kept on every keystroke so a reload or crash never loses typing. */
export interface Draft {
  key: string;
  type: EntityType;
  id: string | null;
  values: FormValues;
  /**
   * The stored value each field started from: restored with the draft, so a
   * save after a reload still names them and cannot overwrite a change made
   * meanwhile. Absent in drafts kept before bases existed.
   */
  bases?: FormValues;
  /** Fields waiting for a choice between the typed and the stored value. */
  contested?: Record<string, Contest>;
  /**
   * Whether the entry was in the trash when the typing began, so an entry moved to the trash meanwhile
   * is said to be, also after a reload. Absent in older drafts (then taken as the entry is now).
   */
  inTrash?: boolean;
  /** The revision the draft started from (drafts without bases: were they made on the current version?). */
  baseRev: string | null;
  savedAt: number;
}

const db = new Dexie('curio-drafts') as Dexie & { drafts: EntityTable<Draft, 'key'> };
db.version(1).stores({ drafts: 'key, savedAt' });

export function draftKey(type: EntityType, id: string | null): string {
  return `${type}:${id ?? 'new'}`;
}

export function loadDraft(type: EntityType, id: string | null): Promise<Draft | undefined> {
  return db.drafts.get(draftKey(type, id));
}

export async function saveDraft(draft: Omit<Draft, 'key' | 'savedAt'>): Promise<void> {
  await db.drafts.put({ ...draft, key: draftKey(draft.type, draft.id), savedAt: Date.now() });
}

export async function discardDraft(type: EntityType, id: string | null): Promise<void> {
  await db.drafts.delete(draftKey(type, id));
}
