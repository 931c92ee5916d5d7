import { z } from 'zod';
import { whyNot } from '../../shared/permissions';
import { AppError } from '../../shared/errors';
import {
  changedUserSchema,
  createdUserSchema,
  erasedUserSchema,
  issuedSetupCodeSchema,
  newUserRequest,
  revokedCodeSchema,
  serverAuditFilter,
  serverAuditPageSchema,
  serverAuditQuery,
  serverInfoSchema,
  sessionsQuery,
  setupCodeRequest,
  setupLink,
  teamSessionsSchema,
  userChangeRequest,
  userListQuery,
  userPageSchema,
  type IssuedCode,
} from '../../shared/team';
import { encode, exportServerAudit, exportUserFile, queryString, serverCall } from '../team';
import type { CoreContext } from './context';
import { filePath, transferFormat } from './inputs';
import { mapStream } from './live';
import { procedure, router } from './trpc';

const id = z.string().min(1).max(200);
const userId = z.object({ id });

/**
 * The server's admin functions for a signed-in admin, through the same API
 * the renderer uses. The server checks the role again; this check only
 * gives a clear message before the round trip.
 */
const adminProcedure = procedure.use(({ ctx, next }) => {
  const reason = whyNot(ctx.session().role, 'manageTeam');
  if (reason) throw new AppError('FORBIDDEN', reason);
  return next();
});

/** A setup code with its link form, which names this server (the server does not know its public address). */
function withLink(ctx: CoreContext, code: IssuedCode | null) {
  if (!code) return null;
  return { ...code, link: setupLink(ctx.sync.status.serverUrl ?? '', code.username, code.code) };
}

const exportTarget = (ctx: CoreContext) => ({ dataDir: ctx.dataDir, now: () => new Date() });

export const teamRouter = router({
  /** One page of users: search, sort, paging, last sign-in (ADMIN-1). */
  users: adminProcedure
    .input(userListQuery.optional())
    .query(({ ctx, input }) =>
      serverCall(ctx.sync, userPageSchema, `/v1/admin/users${queryString(userListQuery.parse(input ?? {}))}`),
    ),

  /** Without a password the user is invited: the answer carries the one-time setup code and its link. */
  addUser: adminProcedure.input(newUserRequest).mutation(async ({ ctx, input }) => {
    const created = await serverCall(ctx.sync, createdUserSchema, '/v1/admin/users', { body: input });
    return { user: created.user, setupCode: withLink(ctx, created.setupCode) };
  }),

  /** Rename, role, disable or enable, set a password; `dryRun` only tells the consequence (sessions ending). */
  updateUser: adminProcedure
    .input(userChangeRequest.extend({ id }))
    .mutation(({ ctx, input: { id, ...changes } }) =>
      serverCall(ctx.sync, changedUserSchema, `/v1/admin/users/${encode(id)}`, { method: 'PATCH', body: changes }),
    ),

  /** An invitation (no password yet) or a reset code; replaces any open one (ADMIN-6). */
  issueSetupCode: adminProcedure
    .input(setupCodeRequest.extend({ id }))
    .mutation(async ({ ctx, input: { id, ...body } }) => {
      const issued = await serverCall(ctx.sync, issuedSetupCodeSchema, `/v1/admin/users/${encode(id)}/setup-code`, {
        body,
      });
      return { ...issued, setupCode: withLink(ctx, issued.setupCode) };
    }),

  revokeSetupCode: adminProcedure
    .input(userId)
    .mutation(({ ctx, input }) =>
      serverCall(ctx.sync, revokedCodeSchema, `/v1/admin/users/${encode(input.id)}/setup-code`, { method: 'DELETE' }),
    ),

  /** Erasure (ADMIN-4): `confirm` is the user name, typed; `dryRun` tells the consequence only. */
  removeUser: adminProcedure
    .input(userId.extend({ confirm: z.string().max(64).optional(), dryRun: z.boolean().optional() }))
    .mutation(({ ctx, input }) =>
      serverCall(
        ctx.sync,
        erasedUserSchema,
        `/v1/admin/users/${encode(input.id)}${queryString({ confirm: input.confirm, dryRun: input.dryRun ? 1 : undefined })}`,
        { method: 'DELETE' },
      ),
    ),

  /** What the server holds about a user (ADMIN-3), written to a JSON file in the profile's exports folder. */
  exportUser: adminProcedure
    .input(userId.extend({ filePath }))
    .mutation(({ ctx, input }) => exportUserFile(ctx.sync, exportTarget(ctx), input)),

  sessions: adminProcedure
    .input(sessionsQuery.optional())
    .query(({ ctx, input }) =>
      serverCall(ctx.sync, teamSessionsSchema, `/v1/admin/sessions${queryString(sessionsQuery.parse(input ?? {}))}`),
    ),

  revokeSession: adminProcedure.input(userId).mutation(async ({ ctx, input }) => {
    await ctx.sync.request(`/v1/admin/sessions/${encode(input.id)}`, { method: 'DELETE' });
    return { revoked: true as const };
  }),

  /** The server's own audit (ADMIN-5): filtered, newest first, by cursor. */
  serverAudit: adminProcedure
    .input(serverAuditQuery.optional())
    .query(({ ctx, input }) =>
      serverCall(ctx.sync, serverAuditPageSchema, `/v1/admin/audit${queryString(serverAuditQuery.parse(input ?? {}))}`),
    ),

  /** Streams the filtered server audit to a file: progress events, then `{ type: 'done', filePath, rows }`. */
  exportServerAudit: adminProcedure
    .input(serverAuditFilter.extend({ format: transferFormat, filePath }))
    .subscription(({ ctx, input }) => mapStream(exportServerAudit(ctx.sync, exportTarget(ctx), input))),

  /** The server panel (ADMIN-7). */
  serverInfo: adminProcedure.query(({ ctx }) => serverCall(ctx.sync, serverInfoSchema, '/v1/admin/server')),
});
