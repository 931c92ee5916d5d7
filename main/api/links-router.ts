import { z } from 'zod';
import { entityType, id } from './inputs';
import { procedure, router } from './trpc';

/** What links to an entry, and the names of linked entries (for lists and chips). */
export const linksRouter = router({
  /** "Appears in N videos" with those videos, per type that links to `type`. */
  backLinks: procedure
    .input(z.object({ type: entityType, id, limit: z.number().int().min(1).max(1000).optional() }))
    .query(({ ctx, input }) => ctx.services.links.backLinks(input.type, input.id, input.limit)),

  /** Titles by id; ids of entries deleted permanently are left out. */
  titles: procedure
    .input(z.object({ refs: z.array(z.object({ type: entityType, ids: z.array(id).max(5000) })).max(20) }))
    .query(({ ctx, input }) => ctx.services.links.titles(input.refs)),
});
