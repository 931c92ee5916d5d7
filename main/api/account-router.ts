import { z } from 'zod';
import {
  ownSessionRevokedSchema,
  ownSessionsSchema,
  passwordChangeRequest,
  sessionsEndedSchema,
} from '../../shared/team';
import { encode, serverCall } from '../team';
import { procedure, router } from './trpc';

/**
 * The signed-in user's own account on the sync server (ACCOUNT-*), whatever
 * their role: their sessions ("this device" marked) and their password.
 */
export const accountRouter = router({
  sessions: procedure.query(({ ctx }) => serverCall(ctx.sync, ownSessionsSchema, '/v1/account/sessions')),

  /** Signs one session out; `current` in the answer says it was this device's. */
  revokeSession: procedure
    .input(z.object({ id: z.string().min(1).max(200) }))
    .mutation(({ ctx, input }) =>
      serverCall(ctx.sync, ownSessionRevokedSchema, `/v1/account/sessions/${encode(input.id)}`, { method: 'DELETE' }),
    ),

  revokeOtherSessions: procedure.mutation(({ ctx }) =>
    serverCall(ctx.sync, sessionsEndedSchema, '/v1/account/sessions/revoke-others', { body: {} }),
  ),

  /** The current password is checked again; every other session of the user ends. */
  changePassword: procedure
    .input(passwordChangeRequest)
    .mutation(({ ctx, input }) => serverCall(ctx.sync, sessionsEndedSchema, '/v1/account/password', { body: input })),
});
