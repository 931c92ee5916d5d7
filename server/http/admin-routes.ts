import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  erasureQuery,
  newUserRequest,
  serverAuditQuery,
  sessionsQuery,
  setupCodeRequest,
  userListQuery,
} from '../../shared/team';
import { parseOrThrow } from '../../shared/validation';
import {
  createUser,
  describeUser,
  exportUser,
  getUser,
  issueSetupCode,
  listServerAudit,
  listSessions,
  listUsers,
  recordServerAudit,
  removeUser,
  revokeSessionById,
  revokeSetupCode,
  updateUser,
  type Actor,
} from '../auth';
import { principalOf, requireRole, type HttpContext } from './context';
import { serverInfo } from './server-info';

/** ADMIN-*: users, setup codes, sessions, erasure, the server audit and the server panel; admins only. */
export function adminRoutes(app: FastifyInstance, context: HttpContext): void {
  async function admin(request: FastifyRequest): Promise<Actor> {
    const principal = await principalOf(context, request);
    requireRole(principal, 'admin', 'manage users and sessions');
    return { id: principal.user.id, name: principal.user.username };
  }
  const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;

  app.get('/v1/admin/users', async (request) => {
    await admin(request);
    return listUsers(context.store, parseOrThrow(userListQuery, request.query, 'The query'));
  });

  app.post('/v1/admin/users', async (request, reply) => {
    const actor = await admin(request);
    const { expiresInDays, ...input } = parseOrThrow(newUserRequest, request.body, 'The new user');
    const created = await createUser(context.store, input, context.hashing, actor);
    // Without a password the user is invited: they choose one with the setup code (ADMIN-6, AUTH-9).
    const setupCode =
      input.password === undefined
        ? (await issueSetupCode(context.store, created.id, { days: expiresInDays ?? context.setupCodeDays }, actor))
            .setupCode
        : null;
    const user = setupCode ? ((await describeUser(context.store, created.id)) ?? created) : created;
    return reply.status(201).send({ user, setupCode });
  });

  app.patch('/v1/admin/users/:id', async (request) => {
    const actor = await admin(request);
    const changed = await updateUser(context.store, idOf(request), request.body as never, context.hashing, actor);
    if (!(request.body as { dryRun?: boolean } | null)?.dryRun) context.hub.userChanged(changed.user.id);
    return changed;
  });

  app.delete('/v1/admin/users/:id', async (request) => {
    const actor = await admin(request);
    const query = parseOrThrow(erasureQuery, request.query, 'The query');
    return removeUser(context.store, idOf(request), actor, query);
  });

  app.post('/v1/admin/users/:id/setup-code', async (request) => {
    const actor = await admin(request);
    const body = parseOrThrow(setupCodeRequest, request.body ?? {}, 'The setup code request');
    const days = body.expiresInDays ?? context.setupCodeDays;
    return issueSetupCode(context.store, idOf(request), { days, dryRun: body.dryRun }, actor);
  });

  app.delete('/v1/admin/users/:id/setup-code', async (request) => {
    const actor = await admin(request);
    return revokeSetupCode(context.store, idOf(request), actor);
  });

  app.get('/v1/admin/users/:id/export', async (request, reply) => {
    const actor = await admin(request);
    const user = await getUser(context.store, idOf(request));
    // Handing out someone's data is itself worth a line in the audit (who saw what, when).
    await recordServerAudit(context.store.sql, {
      action: 'user.exported',
      actor,
      subject: { id: user.id, name: user.username },
      ip: request.ip,
    });
    reply.header('content-disposition', `attachment; filename="curio-user-${user.username}.json"`);
    return exportUser(context.store, user.id);
  });

  app.get('/v1/admin/sessions', async (request) => {
    await admin(request);
    const query = parseOrThrow(sessionsQuery, request.query, 'The query');
    return { sessions: await listSessions(context.store, query) };
  });

  app.delete('/v1/admin/sessions/:id', async (request, reply) => {
    const actor = await admin(request);
    await revokeSessionById(context.store, idOf(request), actor, request.ip);
    return reply.status(204).send();
  });

  app.get('/v1/admin/audit', async (request) => {
    await admin(request);
    return listServerAudit(context.store.sql, parseOrThrow(serverAuditQuery, request.query, 'The query'));
  });

  app.get('/v1/admin/server', async (request) => {
    await admin(request);
    return serverInfo(context.store, context.startedAt);
  });
}
