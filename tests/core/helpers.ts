import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TRPCError } from '@trpc/server';
import { afterEach, beforeEach, expect } from 'vitest';
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

/** `n` days in milliseconds. */
export const days = (n: number) => n * 86_400_000;

/** A clock a test moves by hand; the core reads it for every timestamp it writes. */
export class TestClock {
  now: Date;

  constructor(private readonly start: string) {
    this.now = new Date(start);
  }

  /** Moves the clock forward by `ms` and returns the new time. */
  advance(ms: number): Date {
    this.now = new Date(this.now.getTime() + ms);
    return this.now;
  }

  /** Back to the start, for the next test. */
  reset(): void {
    this.now = new Date(this.start);
  }
}

/**
 * A fresh core for each test of the file, on `clock` (reset before each test),
 * disposed after it. Call at the top level; the returned core stands for the
 * current test's core, so read it only inside tests and hooks.
 */
export function useCorePerTest(clock: TestClock): TestCore {
  let current: TestCore | undefined;
  beforeEach(async () => {
    clock.reset();
    current = await openTestCore({ now: () => clock.now });
  });
  afterEach(async () => {
    await current?.dispose();
    current = undefined;
  });
  return new Proxy({} as TestCore, {
    get(_, key) {
      if (!current) throw new Error('The test core opens before each test: use it inside a test or hook.');
      return Reflect.get(current, key) as unknown;
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
