import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TRPCError } from '@trpc/server';
import { expect } from 'vitest';
import { openCore, type Core, type CoreOptions } from '../../main/core';
import type { AppErrorData } from '../../main/api';
import { appErrorData } from '../../main/api/errors';

export const ALICE = { id: 'alice', name: 'Alice Admin' };

export interface TestCore extends Core {
  dataDir: string;
  call: ReturnType<Core['createCaller']>;
  /** Closes the core and removes its folder. */
  dispose(): Promise<void>;
}

/** A real core on a fresh temporary folder. */
export async function openTestCore(options: Partial<CoreOptions> & { dataDir?: string } = {}): Promise<TestCore> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'curio-core-')));
  const core = await openCore({ actor: ALICE, ...options, dataDir });
  return Object.assign(core, {
    dataDir,
    call: core.createCaller(),
    async dispose() {
      await core.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  });
}

/** The app error data a failed call carries, as a client would see it. */
export async function appErrorOf(promise: Promise<unknown>): Promise<AppErrorData & { message: string }> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(TRPCError);
    return { ...appErrorData(error as TRPCError), message: (error as Error).message };
  }
  throw new Error('Expected the call to fail, but it succeeded.');
}

/** Reads a live subscription until `predicate` holds, leaving it open for further reads. */
export async function nextMatching<T>(iterator: AsyncIterator<T>, predicate: (value: T) => boolean): Promise<T> {
  for (;;) {
    const result = await iterator.next();
    if (result.done) throw new Error('The subscription ended before a matching value arrived.');
    if (predicate(result.value)) return result.value;
  }
}

/** The iterator of a subscription the caller returned, to read it step by step. */
export async function subscribe<T>(subscription: Promise<AsyncIterable<T>>): Promise<AsyncIterator<T>> {
  return (await subscription)[Symbol.asyncIterator]();
}
