import { entities, type EntityDocument, type EntityType } from '../../shared/entities/registry';
import { AppError } from '../../shared/errors';
import type { DocumentData } from '../database';
import { auditEntriesOf } from './audit';
import type { ServiceContext } from './context';
import { assertRevision, envelopeOf, loadDocument, parseEntityFields } from './entities';
import { withTitles, type TitledAuditEntry } from './link-titles';
import { applyChanges, type ConflictWording } from './lost-update';
import { requirePermission } from './permissions';
import { assertCrossDocumentRules } from './rules';
import { editableFields, replaceEntity, runWrite } from './writes';

export interface HistoryEntry extends TitledAuditEntry {
  /** The editable fields as they were right after this entry. */
  version: DocumentData;
}

export type HistoryService = ReturnType<typeof createHistoryService>;

/** A restore refused over a change made since the history was shown: no editor to choose in, so it says what to do. */
const RESTORE_WORDING: ConflictWording = {
  since: 'after its history was shown',
  yours: 'that version',
  next:
    'Nothing was restored. Look at the entry as it is now; to go back anyway, restore the version again ' +
    'once its history shows that change.',
};

export function createHistoryService(ctx: ServiceContext) {
  /**
   * The entity's history, newest first, each entry with the version it
   * produced. NOTE: versions are rebuilt backwards from the current document
   * by undoing each entry's changes, so a history that starts mid-way (older
   * entries not yet replicated) still yields correct recent versions.
   */
  async function history(type: EntityType, id: string): Promise<HistoryEntry[]> {
    const current = (await loadDocument(ctx, type, id)).toJSON() as DocumentData;
    const entries = await withTitles(ctx, await auditEntriesOf(ctx, id));
    let state: DocumentData = explainedState(type, current, entries);
    const result: HistoryEntry[] = [];
    for (const entry of [...entries].reverse()) {
      result.push({ ...entry, version: withoutEmpty(state) });
      state = { ...state };
      for (const change of entry.changes) state[change.field] = change.from;
    }
    return result;
  }

  return {
    history,

    /**
     * Makes a past version current again, as a new audited update (the history keeps everything).
     * The caller names what it saw as current: a history entry (`currentEntryId`), whose version is the
     * base of every field (a field changed since is refused with CONFLICT, others merge), or a `rev`.
     */
    async restoreVersion(
      type: EntityType,
      id: string,
      entryId: string,
      seen: { currentEntryId?: string | undefined; rev?: string | undefined },
    ): Promise<EntityDocument> {
      requirePermission(ctx, 'restoreVersions');
      const descriptor = entities[type];
      return runWrite(ctx, async () => {
        const entries = await history(type, id);
        const entry = findEntry(type, entries, entryId);
        const current = await loadDocument(ctx, type, id);
        const before = current.toJSON() as DocumentData;
        const shown = seen.currentEntryId === undefined ? null : findEntry(type, entries, seen.currentEntryId);
        if (!shown) {
          if (seen.rev === undefined) throw new AppError('VALIDATION', 'Say which version you saw as current.');
          assertRevision(type, before, seen.rev);
        }
        const fields = Object.keys(descriptor.fields);
        const past = (field: string) => entry.version[field] ?? null;
        const bases = Object.fromEntries(
          fields.map((field) => [field, (shown ?? { version: before }).version[field] ?? null]),
        );
        const changes = Object.fromEntries(
          fields
            .filter((field) => JSON.stringify(past(field)) !== JSON.stringify(bases[field]))
            .map((f) => [f, past(f)]),
        );
        const merged = await applyChanges(ctx, type, before, changes, bases, RESTORE_WORDING);
        const parsed = parseEntityFields(type, merged, `That version of this ${descriptor.label.toLowerCase()}`);
        if (before.deletedAt === null) await assertCrossDocumentRules(ctx, type, parsed, id);
        return replaceEntity(ctx, type, current, { ...envelopeOf(before), ...parsed }, 'update');
      });
    },
  };
}

/**
 * The entry as its audit entries explain it: each field at the value its newest audit entry wrote.
 * NOTE: the sync pulls entries and audit entries in streams of their own, so a teammate's edit can be here
 * before its audit entry. Rebuilt from the entry as it stands, the newest version shown would then hold
 * that edit unannounced, and restoring a version would take it as seen and write over it; from the
 * audited values, the edit is a change since, which a restore refuses (CONFLICT) or leaves alone. Fields
 * no audit entry here mentions (a history that starts mid-way) keep the entry's value.
 */
function explainedState(type: EntityType, current: DocumentData, entries: TitledAuditEntry[]) {
  const state: DocumentData = { ...editableFields(type, current), deletedAt: current.deletedAt };
  const fields = new Set(Object.keys(entities[type].fields));
  for (const entry of entries) {
    for (const change of entry.changes) {
      if (!fields.has(change.field) || sameValue(state[change.field], change.to)) continue;
      if (change.to === null || change.to === undefined) delete state[change.field];
      else state[change.field] = change.to;
    }
  }
  return state;
}

/** Equal values, an absent field, null and '' all being empty. */
function sameValue(a: unknown, b: unknown): boolean {
  const empty = (value: unknown) => value === undefined || value === null || value === '';
  if (empty(a) || empty(b)) return empty(a) && empty(b);
  return JSON.stringify(a) === JSON.stringify(b);
}

function findEntry(type: EntityType, entries: HistoryEntry[], entryId: string): HistoryEntry {
  const entry = entries.find((e) => e.id === entryId);
  if (!entry) {
    throw new AppError(
      'NOT_FOUND',
      `No history entry ${entryId} exists for this ${entities[type].label.toLowerCase()}.`,
    );
  }
  return entry;
}

function withoutEmpty(state: DocumentData): DocumentData {
  const copy: DocumentData = {};
  for (const [field, value] of Object.entries(state))
    if (value !== undefined && !(value === null && field !== 'deletedAt')) copy[field] = value;
  return copy;
}
