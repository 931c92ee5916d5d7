import { merge } from 'rxjs';
import { z } from 'zod';
import { ENTITY_TYPES } from '../../shared/entities/registry';
import { callSignal, liveQuery, mapStream } from './live';
import { cursor, entityType, id, itemsInput, limit, trashItemsInput } from './inputs';
import { procedure, router } from './trpc';

const trashListInput = z.object({ type: entityType.optional(), cursor, limit });
const purgeScope = z.object({
  olderThanDays: z.number().int().min(0).max(36_500).optional(),
  everything: z.boolean().optional(),
});

export const trashRouter = router({
  list: procedure.input(trashListInput).query(({ ctx, input }) => ctx.services.trash.list(input)),

  onList: procedure
    .input(trashListInput)
    .subscription(({ ctx, input, signal }) =>
      liveQuery(
        merge(...(input.type ? [input.type] : ENTITY_TYPES).map((type) => ctx.database.entities[type].$)),
        () => ctx.services.trash.list(input),
        callSignal(signal, ctx.closed),
      ),
    ),

  /**
   * Moves entries to the trash (all or nothing); returns how many moved. An item with `rev` or `linked` is
   * refused (CONFLICT) if it changed, or a live entry linked to it, since its question showed it.
   */
  trash: procedure.input(trashItemsInput).mutation(({ ctx, input }) => ctx.services.trash.trash(input.items)),

  /** Brings entries back (all or nothing); an item with `rev` is refused (CONFLICT) if it changed since. */
  restore: procedure.input(itemsInput).mutation(({ ctx, input }) => ctx.services.trash.restore(input.items)),

  /** What `restore` would do, for the question asked first: who trashed each entry, name clashes, links left in the trash. */
  restorePreview: procedure.input(itemsInput).query(({ ctx, input }) => ctx.services.trash.restorePreview(input.items)),

  /** Which live entries link to the entries about to be trashed, for the question asked before `trash`. */
  trashPreview: procedure.input(itemsInput).query(({ ctx, input }) => ctx.services.trash.trashPreview(input.items)),

  /** `trashPreview` now and again after every change to any entry, for the open question to follow. */
  onTrashPreview: procedure
    .input(itemsInput)
    .subscription(({ ctx, input, signal }) =>
      liveQuery(
        merge(...ENTITY_TYPES.map((type) => ctx.database.entities[type].$)),
        () => ctx.services.trash.trashPreview(input.items),
        callSignal(signal, ctx.closed),
      ),
    ),

  /** What refers to an entry, for the permanent-delete dialog ("appears in 15 videos"). */
  references: procedure
    .input(z.object({ type: entityType, id }))
    .query(({ ctx, input }) => ctx.services.trash.references(input.type, input.id)),

  /** Admin only. Without `confirm: true` it fails with REFERENCED or CONFIRMATION_REQUIRED and changes nothing. */
  deletePermanently: procedure
    .input(itemsInput.extend({ confirm: z.boolean().optional() }))
    .mutation(({ ctx, input }) => ctx.services.trash.deletePermanently(input.items, input.confirm === true)),

  /**
   * Admin only. What a purge would delete (counts per type) and which references it would remove (from which
   * entries). `olderThanDays` below the retention setting is refused; `everything: true` is the explicit way.
   */
  purgePreview: procedure.input(purgeScope).query(({ ctx, input }) => ctx.services.trash.purgePreview(input)),

  /** Admin only. Purges what the preview with this `token` listed; CONFLICT if that changed meanwhile. */
  purge: procedure
    .input(purgeScope.extend({ token: z.string().min(1).max(200) }))
    .subscription(({ ctx, input }) => mapStream(purgeEvents(ctx.services.trash.purge(input, input.token)))),
});

type PurgeEvent = { type: 'progress'; done: number; total: number } | { type: 'done'; purged: number };

async function* purgeEvents(
  purge: AsyncGenerator<{ done: number; total: number }, number>,
): AsyncGenerator<PurgeEvent> {
  for (;;) {
    const step = await purge.next();
    if (step.done) {
      yield { type: 'done', purged: step.value };
      return;
    }
    yield { type: 'progress', ...step.value };
  }
}
