import { initTRPC } from '@trpc/server';
import type { CoreContext } from './context';
import { appErrorData, toTRPCError } from './errors';

const t = initTRPC.context<CoreContext>().create({
  errorFormatter({ shape, error }) {
    return { ...shape, data: { ...shape.data, ...appErrorData(error) } };
  },
});

/** Maps every error once, on the way out of any procedure (its input parsing included). */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (result.ok) return result;
  return { ...result, error: toTRPCError(result.error) };
});

export const router = t.router;
export const procedure = t.procedure.use(mapErrors);
export const createCallerFactory = t.createCallerFactory;
