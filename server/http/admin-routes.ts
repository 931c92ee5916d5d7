import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { parseOrThrow } from '../../shared/validation';
import {
  createUser,
  exportUser,
  getUser,
  listServerAudit,
  listSessions,
  listUsers,
  removeUser,
  revokeSessionById,
  updateUser,
  type Actor,
} from '../auth';
import { principalOf, requireRole, type HttpContext } from './context';

const auditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  before: z.iso.datetime().optional(),
});
const sessionsQuery = z.object({ all: z.enum(['0', '1', 'true', 'false']).optional() });

/** ADMIN-*: users, sessions, erasure and the server audit; admins only. */
export function adminRoutes(app: FastifyInstance, context: HttpContext): void {
  async function admin(request: FastifyRequest): Promise<Actor> {
    const principal = await principalOf(context, request);
    requireRole(principal, 'admin', 'manage users and sessions');
    return { id: principal.user.id, name: principal.user.username };
  }
  const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;

  app.get('/v1/admin/users', async (request) => {
    await admin(request);
    return { users: await listUsers(context.store) };
  });

  app.post('/v1/admin/users', async (request, reply) => {
    const actor = await admin(request);
    const user = await createUser(context.store, request.body as never, context.hashing, actor);
    return reply.status(201).send({ user });
  });

  app.patch('/v1/admin/users/:id', async (request) => {
    const actor = await admin(request);
    const user = await updateUser(context.store, idOf(request), request.body as never, context.hashing, actor);
    context.hub.userChanged(user.id);
    return { user };
  });

  app.delete('/v1/admin/users/:id', async (request) => {
    const actor = await admin(request);
    return { removed: true, ...(await removeUser(context.store, idOf(request), actor)) };
  });

  app.get('/v1/admin/users/:id/export', async (request, reply) => {
    await admin(request);
    const user = await getUser(context.store, idOf(request));
    reply.header('content-disposition', `attachment; filename="curio-user-${user.username}.json"`);
    return exportUser(context.store, user.id);
  });

  app.get('/v1/admin/sessions', async (request) => {
    await admin(request);
    const query = parseOrThrow(sessionsQuery, request.query, 'The query');
    return { sessions: await listSessions(context.store, { all: query.all === '1' || query.all === 'true' }) };
  });

  app.delete('/v1/admin/sessions/:id', async (request, reply) => {
    const actor = await admin(request);
    await revokeSessionById(context.store, idOf(request), actor, request.ip);
    return reply.status(204).send();
  });

  app.get('/v1/admin/audit', async (request) => {
    await admin(request);
    const query = parseOrThrow(auditQuery, request.query, 'The query');
    return { entries: await listServerAudit(context.store.sql, query) };
  });
}
