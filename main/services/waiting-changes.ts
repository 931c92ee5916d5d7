import { titleOf, type EntityType } from '../../shared/entities/registry';
import { AppError } from '../../shared/errors';
import type { DocumentData } from '../database';
import type { ServiceContext } from './context';
import { openExportFile } from './export-file';
import { appendAudit, auditedFields, diffFields, removeEntity, runWrite } from './writes';

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
  title: string;
  kind: WaitingKind;
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
  return { type: entry.type, id: entry.id, title: title || entry.id, kind: kindOf(entry) };
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
     * Drops the waiting changes. `putBack` is told of each server version
     * before it is written, so the replication knows it waits for nothing.
     */
    async discard(entries: WaitingEntryState[], putBack: (type: EntityType, document: DocumentData) => void) {
      if (entries.some((entry) => entry.server === undefined)) {
        throw new AppError(
          'VALIDATION',
          'The server’s version of these entries is not known while signed out; sign in to discard them.',
        );
      }
      let discarded = 0;
      for (const entry of entries) {
        await runWrite(ctx, async () => {
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
          discarded++;
        });
      }
      return { discarded };
    },
  };
}

export type WaitingChangesService = ReturnType<typeof createWaitingChangesService>;
