import { auditTime, map, merge } from 'rxjs';
import { z } from 'zod';
import type { SyncStatus } from '../sync';
import { entityType, id } from './inputs';
import { callSignal, liveQuery } from './live';
import { procedure, router } from './trpc';

/** How long the "not sent" list waits for more changes before it is read again (a person sees no delay). */
const WAITING_LIST_SETTLE_MS = 50;

const signInInput = z.object({
  serverUrl: z.string().trim().min(1, { error: 'The server address is required.' }).max(2048),
  username: z.string().trim().min(1, { error: 'The user name is required.' }).max(64),
  password: z.string().min(1, { error: 'The password is required.' }).max(1024),
});

/**
 * The waiting changes a "discard" question showed: each entry with the version it showed (null: deleted
 * here). Required: a discard names what the person saw, never "whatever waits now".
 */
const discardWaitingInput = z.object({
  entries: z.array(z.object({ type: entityType, id, rev: z.string().min(1).max(200).nullable() })).max(1_000_000),
});

/** Signing in to a sync server and the sync status the badge shows. */
export const syncRouter = router({
  status: procedure.query(({ ctx }): SyncStatus => ctx.sync.status),

  /** The status now and after every change: offline, connecting, syncing, in sync, paused. */
  onStatus: procedure.subscription(({ ctx, signal }) =>
    liveQuery<SyncStatus>(
      ctx.sync.status$.pipe(map(() => null)),
      () => Promise.resolve(ctx.sync.status),
      callSignal(signal, ctx.closed),
    ),
  ),

  signIn: procedure.input(signInInput).mutation(({ ctx, input }) => ctx.sync.signIn(input)),

  /**
   * The first sign-in of an invited user, or after a reset (AUTH-9): the setup code (or the pasted setup
   * link's code) and the password they choose, under the password policy.
   */
  signInWithCode: procedure
    .input(
      signInInput.extend({
        code: z.string().trim().min(1, { error: 'The setup code is required.' }).max(200),
        password: z.string().max(1024),
      }),
    )
    .mutation(({ ctx, input }) => ctx.sync.signIn(input)),

  signOut: procedure.mutation(async ({ ctx }) => {
    await ctx.sync.signOut();
    return ctx.sync.status;
  }),

  /** The entries whose changes wait to be sent, for the "not sent" list (CLIENT-10). */
  waiting: procedure.query(async ({ ctx }) => ctx.services.waitingChanges.list(await ctx.sync.waitingEntries())),

  /** The "not sent" list now and after every change of it (an entry begins or stops waiting, or is changed again). */
  onWaiting: procedure.subscription(({ ctx, signal }) =>
    liveQuery(
      // Each list is every waiting change: a burst of saves or discards gives one list per moment, not per change.
      merge(ctx.sync.waiting$, ctx.sync.status$).pipe(auditTime(WAITING_LIST_SETTLE_MS)),
      async () => ctx.services.waitingChanges.list(await ctx.sync.waitingEntries()),
      callSignal(signal, ctx.closed),
    ),
  ),

  /** Writes the waiting changes, with the server's versions, to a JSON file. */
  exportWaiting: procedure.mutation(async ({ ctx }) =>
    ctx.services.waitingChanges.export(await ctx.sync.waitingEntries()),
  ),

  /**
   * Drops the waiting changes the question showed (`entries`, each with its version): the server's version
   * comes back (audited); never-sent entries go. One changed again since it was shown: CONFLICT, nothing dropped.
   */
  discardWaiting: procedure.input(discardWaitingInput).mutation(async ({ ctx, input }) => {
    const discarded = await ctx.services.waitingChanges.discard(
      input.entries,
      await ctx.sync.waitingEntries(),
      (type, document) => ctx.sync.discarding(type, document),
    );
    // A viewer's pull held back the server's newer versions of these entries: they come now.
    ctx.sync.resync();
    return discarded;
  }),

  /** Pulls everything new now (the "sync now" button). */
  syncNow: procedure.mutation(({ ctx }) => {
    ctx.sync.resync();
    return ctx.sync.status;
  }),
});
