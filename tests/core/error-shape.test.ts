import { TRPCError } from '@trpc/server';
import { getErrorShape } from '@trpc/server/unstable-core-do-not-import';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appRouter } from '../../main/api';
import { openTestCore, type TestCore } from './helpers';

let core: TestCore;
beforeEach(async () => {
  core = await openTestCore();
});
afterEach(async () => {
  await core.dispose();
});

/** The error as a transport (IPC, WebSocket) sends it: shaped by the router's error formatter. */
async function shapeOf(promise: Promise<unknown>, path: string) {
  const error = await promise.then(
    () => {
      throw new Error('Expected the call to fail.');
    },
    (e: unknown) => e as TRPCError,
  );
  return getErrorShape({
    config: appRouter._def._config,
    error,
    type: 'mutation',
    path,
    input: undefined,
    ctx: core.context,
  });
}

describe('errors cross the API boundary with the app code', () => {
  it('maps an app error once: tRPC code, message, appCode and field errors', async () => {
    const shape = await shapeOf(core.call.entities.create({ type: 'person', fields: { name: '' } }), 'entities.create');
    expect(shape.message).toBe('This person is not valid. Name: Name is required.');
    expect(shape.data).toMatchObject({
      code: 'BAD_REQUEST',
      httpStatus: 400,
      appCode: 'VALIDATION',
      fieldErrors: [{ field: 'name', message: 'Name is required.' }],
    });
  });

  it('keeps NOT_FOUND and CONFLICT distinct', async () => {
    const missing = await shapeOf(
      core.call.entities.get({ type: 'series', id: '01900000-0000-7000-8000-000000000000' }),
      'entities.get',
    );
    expect(missing.data).toMatchObject({ code: 'NOT_FOUND', appCode: 'NOT_FOUND', fieldErrors: null });
    const series = await core.call.entities.create({ type: 'series', fields: { name: 'S' } });
    await core.call.entities.update({ type: 'series', id: series.id, rev: series.rev, fields: { description: 'x' } });
    const stale = await shapeOf(
      core.call.entities.update({ type: 'series', id: series.id, rev: series.rev, fields: { description: 'y' } }),
      'entities.update',
    );
    expect(stale.data).toMatchObject({ code: 'CONFLICT', httpStatus: 409, appCode: 'CONFLICT' });
  });

  it('hides unexpected errors behind INTERNAL with an actionable message', async () => {
    await core.close();
    const shape = await shapeOf(
      core.call.entities.create({ type: 'series', fields: { name: 'Late' } }),
      'entities.create',
    );
    expect(shape.data).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', appCode: 'INTERNAL' });
    expect(shape.message).toContain('Something went wrong inside Curio');
  });
});
