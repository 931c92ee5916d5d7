import { z } from 'zod';
import { savedViewSchema } from '../services';
import { entityType } from './inputs';
import { callSignal, liveQuery } from './live';
import { procedure, router } from './trpc';

/** Named list views (filters, trash state, sort, columns), kept in this profile; each with its version `rev`. */
export const viewsRouter = router({
  list: procedure.input(z.object({ type: entityType })).query(({ ctx, input }) => ctx.services.views.list(input.type)),

  /**
   * Saves a view; a view of the same type and name (case ignored) is replaced. `replaces: false` (the form
   * showed no view of that name) refuses, saving nothing, a view of that name saved meanwhile (CONFLICT).
   */
  save: procedure
    .input(savedViewSchema.extend({ replaces: z.boolean().optional() }))
    .mutation(({ ctx, input: { replaces, ...view } }) => ctx.services.views.save(view, replaces)),

  /**
   * Deletes a view: the version `rev` that was shown. A view replaced since (saved again, e.g. in another
   * window) is refused with CONFLICT naming it, nothing deleted; the person is shown what it holds now.
   */
  remove: procedure
    .input(
      z.object({
        type: entityType,
        name: z.string().min(1).max(200),
        rev: z.string().min(1, { error: 'Say which version of the view was shown (its rev).' }).max(64),
      }),
    )
    .mutation(({ ctx, input }) => ctx.services.views.remove(input.type, input.name, input.rev)),

  /** Fires with the number of saved views whenever one is saved or deleted, in any window of the profile. */
  onChange: procedure.subscription(({ ctx, signal }) =>
    liveQuery(ctx.services.views.changes$, () => ctx.services.views.count(), callSignal(signal, ctx.closed)),
  ),
});
