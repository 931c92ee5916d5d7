import { callSignal, liveQuery } from './live';
import { settingsPatchSchema } from '../services';
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

  update: procedure.input(settingsPatchSchema).mutation(({ ctx, input }) => ctx.services.settings.update(input)),

  onChange: procedure.subscription(({ ctx, signal }) =>
    liveQuery(ctx.services.settings.changes$, () => ctx.services.settings.get(), callSignal(signal, ctx.closed)),
  ),
});
