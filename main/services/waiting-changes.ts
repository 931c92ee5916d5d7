import { entities, titleOf, type EntityType } from '../../shared/entities/registry';
import { AppError } from '../../shared/errors';
import type { DocumentData } from '../database';
import type { ServiceContext } from './context';
import { openExportFile } from './export-file';
import { appendAudit, auditedFields, diffFields, removeEntity } from './writes';

/** An entry whose changes wait to be sent: its state here (null: deleted here) and the server's (null: never sent). */
export interface WaitingEntryState {
  type: EntityType;
  id: string;
  local: DocumentData | null;
  server: DocumentData | null | undefined;
}

/** What a waiting change does to the entry, in the words of the "not sent" list. */
export type WaitingKind = 'new' | 'changed' | 'trashed' | 'restored' | 'deleted';

export interface WaitingEntryView {
  type: EntityType;
  id: string;
  /** The waiting version: the entry's revision here (null: deleted here). A discard names it. */
  rev: string | null;
  title: string;
  kind: WaitingKind;
  /** The fields the change sets apart from the server's version (a new or deleted entry: none). */
  fields: string[];
}

/** A waiting change as a "discard" question showed it: the entry and its waiting version. */
export interface ShownWaitingChange {
  type: EntityType;
  id: string;
  rev: string | null;
}

function kindOf(entry: WaitingEntryState): WaitingKind {
  if (!entry.local) return 'deleted';
  if (!entry.server) return 'new';
  if (entry.local.deletedAt && !entry.server.deletedAt) return 'trashed';
  if (!entry.local.deletedAt && entry.server.deletedAt) return 'restored';
  return 'changed';
}

function viewOf(entry: WaitingEntryState): WaitingEntryView {
  const title = titleOf(entry.type, entry.local ?? entry.server ?? { id: entry.id });
  const fields =
    entry.local && entry.server
      ? diffFields(Object.keys(entities[entry.type].fields), entry.server, entry.local).map((change) => change.field)
      : [];
  const rev = entry.local ? String(entry.local.rev) : null;
  return { type: entry.type, id: entry.id, rev, title: title || entry.id, kind: kindOf(entry), fields };
}

const keyOf = (entry: { type: string; id: string }) => `${entry.type}/${entry.id}`;

/** The refusal of a discard whose question showed an older state of these waiting changes. */
function movedOnError(movedOn: WaitingEntryView[]): AppError {
  const names = movedOn.map((entry) => `${entities[entry.type].label} “${entry.title}”`);
  const listed = names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');
  return new AppError(
    'CONFLICT',
    `${listed} changed again after the list was shown, so nothing was discarded. Look at the list again, then discard if you still want to.`,
  );
}

/** The fields of a document without RxDB's bookkeeping (`_rev`, `_meta`, `_deleted`, …). */
function ownFields(document: DocumentData): DocumentData {
  return Object.fromEntries(Object.entries(document).filter(([key]) => !key.startsWith('_')));
}

/**
 * Changes that cannot be sent (the user's role no longer allows it): listed,
 * exported to a JSON file, or discarded. Discarding puts back the version the
 * server last had, or removes an entry the server never had; each is an
 * audited write (`update` back to the server's values, `purge` of a never-sent
 * entry) by the user who discards, so the history says what was dropped.
 */
export function createWaitingChangesService(ctx: ServiceContext) {
  /** One discard: the server's version back in place (audited `update`), or a never-sent entry purged. */
  async function putBackServerVersion(
    entry: WaitingEntryState,
    putBack: (type: EntityType, document: DocumentData) => void,
  ): Promise<void> {
    const collection = ctx.database.entities[entry.type];
    const current = await collection.findOne(entry.id).exec();
    const server = entry.server ? ownFields(entry.server) : null;
    if (server) {
      putBack(entry.type, server);
      await collection.upsert(server);
      const changes = diffFields(auditedFields(entry.type), current?.toJSON() ?? null, server);
      await appendAudit(ctx, 'update', entry.type, server, changes);
    } else if (current) {
      putBack(entry.type, current.toJSON() as DocumentData);
      await removeEntity(ctx, entry.type, current);
    }
  }

  return {
    list(entries: WaitingEntryState[]): WaitingEntryView[] {
      return entries.map(viewOf);
    },

    /** Writes every waiting change, with the server's version beside it, to a JSON file in the exports folder. */
    async export(entries: WaitingEntryState[]): Promise<{ filePath: string; rows: number }> {
      const file = await openExportFile(ctx, 'not-sent', 'json');
      const rows = entries.map((entry) => ({
        ...viewOf(entry),
        local: entry.local && ownFields(entry.local),
        server: entry.server ? ownFields(entry.server) : null,
      }));
      const { actor } = ctx.session();
      await file.write(JSON.stringify({ exportedAt: ctx.now().toISOString(), by: actor, entries: rows }, null, 2));
      await file.close();
      return { filePath: file.path, rows: rows.length };
    },

    /**
     * Drops the waiting changes the person was shown (`shown`: each entry with its waiting version) and
     * nothing else: an entry that began waiting after the list was shown keeps its change. Where a shown
     * entry was changed again since (its version here moved on), nothing is discarded and the refusal
     * (CONFLICT) names it, so a change nobody saw is never dropped. `putBack` is told of each server
     * version before it is written, so the replication knows it waits for nothing.
     * NOTE: the versions are compared and the changes dropped under the write lock, so no save lands between.
     */
    async discard(
      shown: ShownWaitingChange[],
      entries: WaitingEntryState[],
      putBack: (type: EntityType, document: DocumentData) => void,
    ) {
      const waitingNow = new Map(entries.map((entry) => [keyOf(entry), entry]));
      const chosen = [...new Map(shown.map((entry) => [keyOf(entry), entry])).values()].flatMap((entry) => {
        const waiting = waitingNow.get(keyOf(entry));
        // Sent (or discarded elsewhere) meanwhile: nothing of it waits any more.
        return waiting ? [{ shownRev: entry.rev, entry: waiting }] : [];
      });
      if (chosen.some(({ entry }) => entry.server === undefined)) {
        throw new AppError(
          'VALIDATION',
          'The server’s version of these entries is not known while signed out; sign in to discard them.',
        );
      }
      return ctx.lock.run(async () => {
        const movedOn: WaitingEntryView[] = [];
        for (const { shownRev, entry } of chosen) {
          const current = await ctx.database.entities[entry.type].findOne(entry.id).exec();
          if ((current ? String(current.get('rev')) : null) !== shownRev) {
            movedOn.push(viewOf({ ...entry, local: (current?.toJSON() as DocumentData | undefined) ?? null }));
          }
        }
        if (movedOn.length > 0) throw movedOnError(movedOn);
        let discarded = 0;
        for (const { entry } of chosen) {
          await ctx.database.transaction(() => putBackServerVersion(entry, putBack));
          discarded++;
        }
        return { discarded };
      });
    },
  };
}

export type WaitingChangesService = ReturnType<typeof createWaitingChangesService>;
