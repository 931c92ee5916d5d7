import { EventEmitter, on } from 'node:events';
import { initTRPC, tracked } from '@trpc/server';
import { z } from 'zod';
import { AppError } from '../../shared/errors';

/**
 * A small router standing in for the core's while testing the transport on its own: the same
 * error formatter idea (the app's code rides along as `data.appCode`), queries, mutations, and
 * subscriptions that honour the abort signal the way the core's must.
 */
export function createTestRouter() {
  const t = initTRPC.create({
    errorFormatter: ({ shape, error }) => ({
      ...shape,
      data: { ...shape.data, appCode: error.cause instanceof AppError ? error.cause.code : null },
    }),
  });
  const ticks = new EventEmitter();
  const state = {
    count: 0,
    queriesRun: 0,
    slowAborted: deferred(),
    slowStarted: deferred(),
    subscriptionsEnded: 0,
    subscriptionEnded: deferred(),
  };

  const router = t.router({
    echo: t.procedure.input(z.object({ text: z.string().min(1) })).query(({ input }) => {
      state.queriesRun++;
      return { text: input.text, at: new Date(0) };
    }),
    count: t.procedure.query(() => state.count),
    add: t.procedure.input(z.number().int()).mutation(({ input }) => (state.count += input)),
    missing: t.procedure.query(() => {
      throw new AppError('NOT_FOUND', 'No video with id v1: it may have been deleted permanently.');
    }),
    slow: t.procedure.query(async ({ signal }) => {
      state.slowStarted.resolve();
      await new Promise<void>((_, reject) =>
        signal?.addEventListener('abort', () => {
          state.slowAborted.resolve();
          reject(signal.reason as Error);
        }),
      );
      return 'never';
    }),
    unclonable: t.procedure.query(() => ({ callback: () => 'functions cannot cross IPC' })),
    ticks: t.procedure.subscription(async function* ({ signal }) {
      try {
        const events = on(ticks, 'tick', { signal });
        yield 'ready';
        for await (const [value] of events) {
          if (value === 'fail') throw new AppError('FORBIDDEN', 'Only admins may watch this.');
          if (value === 'end') return;
          yield value as string;
        }
      } finally {
        state.subscriptionsEnded++;
        state.subscriptionEnded.resolve();
      }
    }),
    trackedTicks: t.procedure.subscription(async function* () {
      yield tracked('event-1', { n: 1 });
      yield tracked('event-2', { n: 2 });
    }),
  });

  return { router, ticks, state };
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

export type TestRouter = ReturnType<typeof createTestRouter>['router'];
