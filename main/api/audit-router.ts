import { z } from 'zod';
import { callSignal, liveQuery, mapStream } from './live';
import { auditQueryInput, entityType, filePath, searchInput, transferFormat } from './inputs';
import { procedure, router } from './trpc';

export const auditRouter = router({
  /** Newest first, filtered, by cursor. */
  query: procedure.input(auditQueryInput).query(({ ctx, input }) => ctx.services.audit.query(input)),

  count: procedure.input(auditQueryInput).query(({ ctx, input }) => ctx.services.audit.count(input)),

  /** The first page of `query`, again on every new entry (recent activity). */
  onQuery: procedure
    .input(auditQueryInput)
    .subscription(({ ctx, input, signal }) =>
      liveQuery(ctx.database.audit.$, () => ctx.services.audit.query(input), callSignal(signal, ctx.closed)),
    ),

  /** Everyone who appears in the audit (id and latest name), sorted by name: the actor filter's choices. */
  actors: procedure.query(({ ctx }) => ctx.services.audit.actors()),

  /**
   * Entries of one type by title for the Entry filter: live and in the trash (the search), and those
   * deleted permanently (from their trail), each with its `state`.
   */
  entries: procedure
    .input(z.object({ type: entityType, query: searchInput.shape.query, limit: searchInput.shape.limit }))
    .query(({ ctx, input }) => ctx.services.audit.entries(input)),

  /** Who edited when since `from` (at and actor only), for the activity chart. */
  activity: procedure
    .input(z.object({ from: z.iso.datetime({ error: 'From must be an ISO timestamp.' }) }))
    .query(({ ctx, input }) => ctx.services.audit.activity(input.from)),

  /** Streams the matching entries to a file: progress events, then `{ type: 'done', filePath, rows }`. */
  export: procedure
    .input(auditQueryInput.extend({ format: transferFormat, filePath }))
    .subscription(({ ctx, input }) => mapStream(ctx.services.audit.export(input))),
});

export const historyRouter = router({
  /** The entity's audit entries, newest first, each with its field changes and the version it produced. */
  list: procedure
    .input(z.object({ type: auditQueryInput.shape.entityType.unwrap(), id: z.string().min(1).max(200) }))
    .query(({ ctx, input }) => ctx.services.history.history(input.type, input.id)),

  /**
   * Makes the version after `entryId` current again, as a new audited update. The caller names what it
   * saw as current: the history entry it showed as the current version (`currentEntryId`; fields changed
   * since are refused with CONFLICT, others merge) or the entry's `rev` (refused once stale).
   */
  restore: procedure
    .input(
      z.object({
        type: auditQueryInput.shape.entityType.unwrap(),
        id: z.string().min(1).max(200),
        entryId: z.string().min(1).max(200),
        currentEntryId: z.string().min(1).max(200).optional(),
        rev: z.string().min(1).max(64).optional(),
      }),
    )
    .mutation(({ ctx, input }) => ctx.services.history.restoreVersion(input.type, input.id, input.entryId, input)),
});
