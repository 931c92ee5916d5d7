import { callSignal, liveQuery } from './live';
import { settingsUpdateSchema } from '../services';
import { procedure, router } from './trpc';

export const sessionRouter = router({
  /** Who is acting, with which role, on which device. */
  me: procedure.query(({ ctx }) => ({
    ...ctx.session(),
    deviceId: ctx.deviceId,
    storage: ctx.database.storageKind,
  })),
});

/** This installation's settings (local, never replicated). */
export const settingsRouter = router({
  get: procedure.query(({ ctx }) => ctx.services.settings.get()),

  /** `from`: the value each changed setting started from; one saved elsewhere since is refused (CONFLICT). */
  update: procedure
    .input(settingsUpdateSchema)
    .mutation(({ ctx, input: { from, ...changes } }) => ctx.services.settings.update(changes, from)),

  onChange: procedure.subscription(({ ctx, signal }) =>
    liveQuery(ctx.services.settings.changes$, () => ctx.services.settings.get(), callSignal(signal, ctx.closed)),
  ),
});
