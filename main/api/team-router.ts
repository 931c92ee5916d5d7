import { z } from 'zod';
import { withArticle } from '../../shared/permissions';
import { ROLES } from '../../shared/protocol';
import { AppError } from '../../shared/errors';
import { procedure, router } from './trpc';

const userId = z.object({ id: z.string().min(1).max(200) });
const role = z.enum(ROLES);

/**
 * The server's admin functions for a signed-in admin, through the same API
 * the renderer uses. The server checks the role again; this check only
 * gives a clear message before the round trip.
 */
const adminProcedure = procedure.use(({ ctx, next }) => {
  const { role } = ctx.session();
  if (role !== 'admin') {
    throw new AppError('FORBIDDEN', `Only an admin can manage the team; you are signed in as ${withArticle(role)}.`);
  }
  return next();
});

const encode = encodeURIComponent;

export const teamRouter = router({
  users: adminProcedure.query(({ ctx }) => ctx.sync.request<unknown>('/v1/admin/users', { method: 'GET' })),

  addUser: adminProcedure
    .input(z.object({ username: z.string().max(64), name: z.string().max(200), password: z.string().max(1024), role }))
    .mutation(({ ctx, input }) => ctx.sync.request<unknown>('/v1/admin/users', { body: input })),

  updateUser: adminProcedure
    .input(
      userId.extend({
        name: z.string().max(200).optional(),
        role: role.optional(),
        disabled: z.boolean().optional(),
        password: z.string().max(1024).optional(),
      }),
    )
    .mutation(({ ctx, input: { id, ...changes } }) =>
      ctx.sync.request<unknown>(`/v1/admin/users/${encode(id)}`, { method: 'PATCH', body: changes }),
    ),

  /** Erasure: the user's sessions end and their name becomes a pseudonym in history. */
  removeUser: adminProcedure
    .input(userId)
    .mutation(({ ctx, input }) =>
      ctx.sync.request<unknown>(`/v1/admin/users/${encode(input.id)}`, { method: 'DELETE' }),
    ),

  exportUser: adminProcedure
    .input(userId)
    .query(({ ctx, input }) =>
      ctx.sync.request<unknown>(`/v1/admin/users/${encode(input.id)}/export`, { method: 'GET' }),
    ),

  sessions: adminProcedure.query(({ ctx }) => ctx.sync.request<unknown>('/v1/admin/sessions', { method: 'GET' })),

  revokeSession: adminProcedure
    .input(userId)
    .mutation(({ ctx, input }) =>
      ctx.sync.request<unknown>(`/v1/admin/sessions/${encode(input.id)}`, { method: 'DELETE' }),
    ),

  /** The server's own audit: logins, user changes, revocations. */
  serverAudit: adminProcedure
    .input(z.object({ limit: z.number().int().min(1).max(1000).optional() }).optional())
    .query(({ ctx, input }) =>
      ctx.sync.request<unknown>(`/v1/admin/audit${input?.limit ? `?limit=${input.limit}` : ''}`, { method: 'GET' }),
    ),
});
