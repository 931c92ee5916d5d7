import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../server/limits';
import { openStore, type Store } from '../../server/store';
import { awayFromWindowEnd, serverHarness } from './helpers';

// LIMIT-1: processes on one PostgreSQL share each key's count, taking it from the store in blocks.
describe('LIMIT-1: request windows shared through PostgreSQL', () => {
  const harness = serverHarness('postgres');
  let store: Store;
  let statements = 0;

  beforeAll(async () => {
    store = await openStore(await harness.storage());
    const get = store.sql.get.bind(store.sql);
    store.sql.get = ((text: string, parameters?: unknown[]) => {
      if (text.includes('rate_windows')) statements += 1;
      return get(text, parameters);
    }) as typeof store.sql.get;
  });
  afterAll(async () => {
    await store.close();
  });

  it('LIMIT-1: two processes never grant more than the limit together, and reach the store once per block', async () => {
    const limit = { max: 300, windowSeconds: 3600 };
    await awayFromWindowEnd(3600);
    const processes = [
      createRateLimiter(store.sql, 'session', limit, 'in-blocks'),
      createRateLimiter(store.sql, 'session', limit, 'in-blocks'),
    ];
    let granted = 0;
    for (let i = 0; i < 400; i += 1) {
      if ((await processes[i % 2]!.hit('session-a')) === 0) granted += 1;
    }
    // Blocks of 3: each process may hold back at most one block the other could not use.
    expect(granted).toBeLessThanOrEqual(300);
    expect(granted).toBeGreaterThanOrEqual(297);
    expect(statements).toBeLessThan(400 / 3 + 10);

    // Another key has its own count.
    expect(await processes[0]!.hit('session-b')).toBe(0);
  });

  it('LIMIT-1: sign-in counts every hit in the store, whatever its limit', async () => {
    const limit = { max: 500, windowSeconds: 3600 };
    await awayFromWindowEnd(3600);
    const processes = [createRateLimiter(store.sql, 'sign-in', limit), createRateLimiter(store.sql, 'sign-in', limit)];
    const waits: number[] = [];
    for (let i = 0; i < 8; i += 1) waits.push(await processes[i % 2]!.hit('203.0.113.9'));
    expect(waits).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    // A process with a smaller limit on the same address sees exactly the 8 hits, not reserved blocks.
    const strict = createRateLimiter(store.sql, 'sign-in', { max: 9, windowSeconds: 3600 });
    expect(await strict.hit('203.0.113.9')).toBe(0);
    expect(await strict.hit('203.0.113.9')).toBeGreaterThan(0);
  });
});
