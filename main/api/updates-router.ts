import { AppError } from '../../shared/errors';
import type { UpdateState } from '../electron/updates';
import { procedure, router } from './trpc';

/** The desktop app's update, for the notice above every screen. */
export const updatesRouter = router({
  /** Where the update stands; null where the app does not update itself (browser mode). */
  state: procedure.query(({ ctx }): UpdateState | null => ctx.updates?.state() ?? null),

  /** "Restart to update": at once, or as soon as a save or sync in progress finishes. */
  restart: procedure.mutation(({ ctx }): UpdateState => {
    if (ctx.updates?.state().phase !== 'ready') {
      throw new AppError('CONFLICT', 'No update is ready to install; Help ▸ Check for Updates looks for one.');
    }
    ctx.updates.restart();
    return ctx.updates.state();
  }),
});
