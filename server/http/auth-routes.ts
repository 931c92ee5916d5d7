import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import { parseOrThrow } from '../../shared/validation';
import type { HttpContext } from './context';

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

/** AUTH-1 … AUTH-4: sign in, rotate, sign out. Throttled per client address (HARD-1). */
export function authRoutes(app: FastifyInstance, context: HttpContext): void {
  function throttle(request: FastifyRequest, reply: FastifyReply): void {
    const wait = context.loginLimiter.hit(request.ip);
    if (wait > 0) {
      reply.header('retry-after', String(wait));
      throw new AppError(
        'RATE_LIMITED',
        `Too many sign-in attempts from this address; wait ${wait} seconds and try again.`,
      );
    }
  }

  app.post('/v1/auth/login', async (request, reply) => {
    throttle(request, reply);
    const body = parseOrThrow(loginSchema, request.body, 'The sign-in request');
    try {
      const grant = await context.auth.login(body, request.ip);
      context.metrics.count('curio_logins_total', { result: 'success' });
      return grant;
    } catch (error) {
      context.metrics.count('curio_logins_total', { result: 'failure' });
      throw error;
    }
  });

  app.post('/v1/auth/refresh', async (request, reply) => {
    throttle(request, reply);
    const body = parseOrThrow(refreshSchema, request.body, 'The refresh request');
    return context.auth.refresh(body.refreshToken, request.ip);
  });

  app.post('/v1/auth/logout', async (request, reply) => {
    const body = parseOrThrow(refreshSchema, request.body, 'The sign-out request');
    await context.auth.logout(body.refreshToken, request.ip);
    return reply.status(204).send();
  });
}
