import { filter, map, merge } from 'rxjs';
import { z } from 'zod';
import { ENTITY_TYPES, type EntityDocument } from '../../shared/entities/registry';
import { mayChangeNamesakes, type Namesakes } from '../services';
import { callSignal, eachValue, liveQuery } from './live';
import { createInput, entityType, id, listInput, searchInput, updateInput } from './inputs';
import { procedure, router } from './trpc';

export const entitiesRouter = router({
  create: procedure
    .input(createInput)
    .mutation(({ ctx, input }) => ctx.services.entities.create(input.type, input.fields)),

  get: procedure
    .input(z.object({ type: entityType, id }))
    .query(({ ctx, input }) => ctx.services.entities.get(input.type, input.id)),

  update: procedure
    .input(updateInput)
    .mutation(({ ctx, input }) => ctx.services.entities.update(input.type, input.id, input.fields, input)),

  list: procedure.input(listInput).query(({ ctx, input }) => ctx.services.entities.list(input)),

  search: procedure.input(searchInput).query(({ ctx, input }) => ctx.services.entities.search(input)),

  counts: procedure.query(({ ctx }) => ctx.services.entities.counts()),

  /** The page `list` returns, again whenever an entry of that type changes (whoever changed it). */
  onList: procedure
    .input(listInput)
    .subscription(({ ctx, input, signal }) =>
      liveQuery(
        ctx.database.entities[input.type].$,
        () => ctx.services.entities.list(input),
        callSignal(signal, ctx.closed),
      ),
    ),

  /** One document as it changes; null once it is deleted permanently. */
  onDocument: procedure.input(z.object({ type: entityType, id })).subscription(({ ctx, input, signal }) =>
    liveQuery(
      ctx.database.entities[input.type].findOne(input.id).$,
      async () => {
        const document = await ctx.database.entities[input.type].findOne(input.id).exec();
        return document ? (document.toJSON() as EntityDocument) : null;
      },
      callSignal(signal, ctx.closed),
    ),
  ),

  /**
   * The other live entries that share an entry's unique name (two offline creates of "Rex" after a
   * sync), again whenever that may have changed: the entry or a namesake is written, or an entry
   * takes the name. Read-only, so viewers see it too.
   */
  onNamesakes: procedure.input(z.object({ type: entityType, id })).subscription(({ ctx, input, signal }) => {
    let last: Namesakes | null = null;
    const written = ctx.database.entities[input.type].$.pipe(
      filter(
        (event) =>
          last === null ||
          mayChangeNamesakes(last, input.id, { ...(event.documentData as object), id: event.documentId }),
      ),
    );
    return liveQuery(
      written,
      async () => (last = await ctx.services.entities.namesakes(input.type, input.id)),
      callSignal(signal, ctx.closed),
    );
  }),

  /** Live and trash counts per type, whenever any entry changes. */
  onCounts: procedure.subscription(({ ctx, signal }) =>
    liveQuery(
      merge(...ENTITY_TYPES.map((type) => ctx.database.entities[type].$)),
      () => ctx.services.entities.counts(),
      callSignal(signal, ctx.closed),
    ),
  ),

  /**
   * Each changed entry as written, whoever wrote it (this core, or a pull from the server): the
   * renderer puts it straight into its open queries instead of refetching them (issue 16).
   * `document` is null when the entry was deleted permanently.
   */
  onChanges: procedure.subscription(({ ctx, signal }) =>
    eachValue(
      merge(
        ...ENTITY_TYPES.map((type) =>
          ctx.database.entities[type].$.pipe(
            map((event) => ({
              type,
              id: event.documentId,
              document: event.operation === 'DELETE' ? null : (withoutRxFields(event.documentData) as EntityDocument),
            })),
          ),
        ),
      ),
      callSignal(signal, ctx.closed),
    ),
  ),
});

/** RxDB's bookkeeping fields (_rev, _meta, ...) off: the shape `get` returns. */
function withoutRxFields(data: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(data).filter(([key]) => !key.startsWith('_')));
}
