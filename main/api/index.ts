import { accountRouter } from './account-router';
import { auditRouter, historyRouter } from './audit-router';
import { backupRouter } from './backup-router';
import { conflictsRouter } from './conflicts-router';
import { entitiesRouter } from './entities-router';
import { linksRouter } from './links-router';
import { recoveryRouter } from './recovery-router';
import { sessionRouter, settingsRouter } from './session-router';
import { syncRouter } from './sync-router';
import { teamRouter } from './team-router';
import { trashRouter } from './trash-router';
import { updatesRouter } from './updates-router';
import { viewsRouter } from './views-router';
import { createCallerFactory, router } from './trpc';

export type { CoreContext } from './context';
export type { AppErrorData } from './errors';
export { toAppError, toTRPCError } from './errors';

/** The whole API the renderer talks to: one router per domain. */
export const appRouter = router({
  entities: entitiesRouter,
  trash: trashRouter,
  audit: auditRouter,
  history: historyRouter,
  backup: backupRouter,
  session: sessionRouter,
  settings: settingsRouter,
  sync: syncRouter,
  conflicts: conflictsRouter,
  team: teamRouter,
  account: accountRouter,
  links: linksRouter,
  views: viewsRouter,
  updates: updatesRouter,
  recovery: recoveryRouter,
});

export type AppRouter = typeof appRouter;

/** A server-side caller (tests, scripts) bound to a core's context. */
export const createAppCaller = createCallerFactory(appRouter);
