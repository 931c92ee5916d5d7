import type { FastifyInstance } from 'fastify';
import { changeOwnPassword, ownSessions, revokeOtherSessions, revokeOwnSession } from '../auth';
import { principalOf, type HttpContext } from './context';

/** ACCOUNT-*: each signed-in user's own sessions and password, whatever their role. */
export function accountRoutes(app: FastifyInstance, context: HttpContext): void {
  app.get('/v1/account/sessions', async (request) => {
    return ownSessions(context.store, await principalOf(context, request));
  });

  app.delete('/v1/account/sessions/:id', async (request) => {
    const principal = await principalOf(context, request);
    const { id } = request.params as { id: string };
    return revokeOwnSession(context.store, principal, id, request.ip);
  });

  app.post('/v1/account/sessions/revoke-others', async (request) => {
    const principal = await principalOf(context, request);
    return { sessionsEnded: await revokeOtherSessions(context.store, principal, request.ip) };
  });

  app.post('/v1/account/password', async (request) => {
    const principal = await principalOf(context, request);
    return changeOwnPassword(context.store, context.auth, context.hashing, principal, request.body, request.ip);
  });
}
