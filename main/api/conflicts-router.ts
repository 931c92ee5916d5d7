import { filter } from 'rxjs';
import { z } from 'zod';
import { conflictListSchema, resolveInputSchema } from '../services/conflicts';
import { callSignal, liveQuery } from './live';
import { procedure, router } from './trpc';

const idInput = z.object({ id: z.string().min(1).max(200) });

/** Recorded sync conflicts: every admin sees the same list, since records replicate. */
export const conflictsRouter = router({
  list: procedure.input(conflictListSchema.optional()).query(({ ctx, input }) => ctx.services.conflicts.list(input)),

  get: procedure.input(idInput).query(({ ctx, input }) => ctx.services.conflicts.get(input.id)),

  openCount: procedure.query(({ ctx }) => ctx.services.conflicts.openCount()),

  /** The list, again whenever a record changes (recorded here, pulled, resolved elsewhere). */
  onList: procedure
    .input(conflictListSchema.optional())
    .subscription(({ ctx, input, signal }) =>
      liveQuery(
        ctx.services.conflicts.changes$,
        () => ctx.services.conflicts.list(input),
        callSignal(signal, ctx.closed),
      ),
    ),

  /** One record, again whenever a record changes: an open detail learns that another admin closed it. */
  onRecord: procedure
    .input(idInput)
    .subscription(({ ctx, input, signal }) =>
      liveQuery(
        ctx.services.conflicts.changes$.pipe(filter((change) => change.documentId === input.id)),
        () => ctx.services.conflicts.get(input.id),
        callSignal(signal, ctx.closed),
      ),
    ),

  /** The open records of one entry, again whenever a record changes: its editor says what the sync kept. */
  onEntity: procedure
    .input(z.object({ id: z.uuid() }))
    .subscription(({ ctx, input, signal }) =>
      liveQuery(
        ctx.services.conflicts.changes$,
        () => ctx.services.conflicts.openFor(input.id),
        callSignal(signal, ctx.closed),
      ),
    ),

  /** The open count for the navigation badge. */
  onOpenCount: procedure.subscription(({ ctx, signal }) =>
    liveQuery(
      ctx.services.conflicts.changes$,
      () => ctx.services.conflicts.openCount(),
      callSignal(signal, ctx.closed),
    ),
  ),

  /** Admin: per field local, server or a typed value; an audited `conflict.resolve` write; the record closes. */
  resolve: procedure.input(resolveInputSchema).mutation(({ ctx, input }) => ctx.services.conflicts.resolve(input)),

  /** Admin: closes the record without changing the entry; `rev` is the entry's version its question showed (null: gone). */
  dismiss: procedure
    .input(idInput.extend({ rev: z.string().min(1).max(200).nullable().optional() }))
    .mutation(({ ctx, input }) => ctx.services.conflicts.dismiss(input.id, input.rev)),
});
