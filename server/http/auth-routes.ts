import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { setupSignInRequest } from '../../shared/team';
import { parseOrThrow } from '../../shared/validation';
import { isRetryLater } from '../limits';
import type { HttpContext } from './context';
import { refuseOverLimit } from './rate-limit';

const loginSchema = z
  .object({
    username: z.string({ error: 'username must be text.' }).min(1).max(200),
    password: z.string({ error: 'password must be text.' }).min(1).max(1000),
    device: z.string().max(100).optional(),
  })
  .strict();

const refreshSchema = z
  .object({ refreshToken: z.string({ error: 'refreshToken must be text.' }).min(1).max(200) })
  .strict();

/**
 * AUTH-1 … AUTH-4, AUTH-9: sign in (with a password or a setup code), rotate, sign out.
 * Throttled per client address (AUTH-8) and per user name (AUTH-7).
 */
export function authRoutes(app: FastifyInstance, context: HttpContext): void {
  app.post('/v1/auth/login', async (request) => {
    await refuseOverLimit(context, 'sign-in', request.ip);
    const body = parseOrThrow(loginSchema, request.body, 'The sign-in request');
    try {
      const grant = await context.auth.login(body, request.ip);
      context.metrics.count('curio_logins_total', { result: 'success' });
      return grant;
    } catch (error) {
      context.metrics.count('curio_logins_total', { result: 'failure' });
      if (isRetryLater(error) && error.code === 'RATE_LIMITED') {
        context.metrics.count('curio_requests_refused_total', { limit: 'sign-in-wait' });
      }
      throw error;
    }
  });

  // AUTH-9: an invited user (or one with a reset code) chooses a password and is signed in.
  app.post('/v1/auth/setup', async (request) => {
    await refuseOverLimit(context, 'sign-in', request.ip);
    const body = parseOrThrow(setupSignInRequest, request.body, 'The setup request');
    const grant = await context.auth.setup(body, request.ip);
    context.metrics.count('curio_logins_total', { result: 'success' });
    return grant;
  });

  app.post('/v1/auth/refresh', async (request) => {
    await refuseOverLimit(context, 'sign-in', request.ip);
    const body = parseOrThrow(refreshSchema, request.body, 'The refresh request');
    return context.auth.refresh(body.refreshToken, request.ip);
  });

  app.post('/v1/auth/logout', async (request, reply) => {
    const body = parseOrThrow(refreshSchema, request.body, 'The sign-out request');
    await context.auth.logout(body.refreshToken, request.ip);
    return reply.status(204).send();
  });
}
