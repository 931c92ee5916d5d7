import { z } from 'zod';
import { savedViewSchema } from '../services';
import { entityType } from './inputs';
import { procedure, router } from './trpc';

/** Named list views (filters, trash state, sort, columns), kept in this profile. */
export const viewsRouter = router({
  list: procedure.input(z.object({ type: entityType })).query(({ ctx, input }) => ctx.services.views.list(input.type)),

  /** Saves a view; a view of the same type and name (case ignored) is replaced. */
  save: procedure.input(savedViewSchema).mutation(({ ctx, input }) => ctx.services.views.save(input)),

  remove: procedure
    .input(z.object({ type: entityType, name: z.string().min(1).max(200) }))
    .mutation(({ ctx, input }) => ctx.services.views.remove(input.type, input.name)),
});
