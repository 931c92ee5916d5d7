/**
 * Issue 15: the admin's lists on SQLite and PostgreSQL: users searched,
 * sorted and paged in the database (ADMIN-1, 1,000 users), the server audit
 * filtered and paged through everything (ADMIN-5), and the server panel
 * (ADMIN-7).
 */
import { describe, expect, it } from 'vitest';
import { serverInfoSchema } from '../../shared/team';
import { ADAPTERS, login, serverHarness } from './helpers';
import { create, dogDoc } from './documents';

describe.each(ADAPTERS)('team administration on %s', (adapter) => {
  const harness = serverHarness(adapter);

  it('ADMIN-1: 1,000 users are searched, sorted and paged by the server, with their last sign-in', async () => {
    const server = await harness.start();
    const admin = await server.signIn('admin', 'ada');
    const at = '2026-01-01T00:00:00.000Z';
    for (let start = 0; start < 1000; start += 100) {
      const rows = Array.from({ length: 100 }, (_, i) => start + i);
      await server.store.sql.run(
        `INSERT INTO users (id, username, name, role, password_hash, disabled, created_at, updated_at) VALUES ${rows
          .map(() => "(?, ?, ?, 'viewer', 'x', 0, ?, ?)")
          .join(', ')}`,
        rows.flatMap((n) => [`u${n}`, `member${String(n).padStart(4, '0')}`, `Member ${n}`, at, at]),
      );
    }
    await server.createUser({
      username: 'zed',
      name: 'Zed 100% Real_Name',
      password: 'plum-kettle-orbit-42',
      role: 'editor',
    });
    await login(server.url, 'zed');

    const first = (await admin.api.get('/v1/admin/users?limit=50')).body;
    expect(first.total).toBe(1002);
    expect(first.users).toHaveLength(50);
    expect(first.users[0].username).toBe('ada');
    const third = (await admin.api.get('/v1/admin/users?limit=50&offset=100')).body.users;
    expect(third[0].username).toBe('member0099');

    const search = (await admin.api.get('/v1/admin/users?search=MEMBER 99&limit=500')).body;
    expect(search.total).toBe(11); // Member 99 and Member 990…999
    // Pattern characters are searched literally.
    const literal = (await admin.api.get(`/v1/admin/users?search=${encodeURIComponent('100%')}`)).body;
    expect(literal.users.map((u: { username: string }) => u.username)).toEqual(['zed']);
    const underscore = (await admin.api.get('/v1/admin/users?search=l_n')).body;
    expect(underscore.users.map((u: { username: string }) => u.username)).toEqual(['zed']);

    const recent = (await admin.api.get('/v1/admin/users?sort=lastSignIn&order=desc&limit=3')).body.users;
    expect(recent.map((u: { username: string }) => u.username)).toEqual(['zed', 'ada', 'member0000']);
    expect(recent[0]).toMatchObject({ lastSignIn: { device: 'test', at: expect.any(String) }, liveSessions: 1 });
    expect(recent[2].lastSignIn).toBeNull();
    const byName = (await admin.api.get('/v1/admin/users?sort=name&order=desc&limit=1')).body.users;
    expect(byName[0].username).toBe('zed');

    const bad = await admin.api.get('/v1/admin/users?sort=password&limit=5000');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/sort must be one of username, name, role, lastSignIn, createdAt/);
  });

  it('ADMIN-5: the server audit filters by actor, action and time, and pages through every entry', async () => {
    const server = await harness.start();
    const admin = await server.signIn('admin', 'ada');
    const base = Date.parse('2026-03-01T00:00:00.000Z');
    const rows = Array.from({ length: 250 }, (_, n) => ({
      id: `e${String(n).padStart(3, '0')}`,
      // Pairs share a time: the pages must still hand out each entry once.
      at: new Date(base + Math.floor(n / 2) * 60_000).toISOString(),
      action: n % 5 === 0 ? 'logout' : 'login.succeeded',
      actor: n % 2 === 0 ? 'bruno' : 'carla',
    }));
    for (let start = 0; start < rows.length; start += 50) {
      const chunk = rows.slice(start, start + 50);
      await server.store.sql.run(
        `INSERT INTO server_audit (id, at, action, actor_id, actor_name, subject_id, subject_name, ip, detail)
         VALUES ${chunk.map(() => "(?, ?, ?, NULL, ?, NULL, NULL, NULL, '{}')").join(', ')}`,
        chunk.flatMap((row) => [row.id, row.at, row.action, row.actor]),
      );
    }

    const seen: string[] = [];
    let cursor: string | null = null;
    let total = 0;
    do {
      const query: string = `?actor=BRU&limit=40${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await admin.api.get(`/v1/admin/audit${query}`)).body;
      total = page.total;
      seen.push(...page.entries.map((e: { id: string }) => e.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(total).toBe(125);
    expect(new Set(seen).size).toBe(125);
    expect(seen[0]).toBe('e248');

    const window = `from=${new Date(base + 10 * 60_000).toISOString()}&to=${new Date(base + 19 * 60_000).toISOString()}`;
    const ranged = (await admin.api.get(`/v1/admin/audit?action=logout&${window}`)).body;
    expect(ranged.entries.map((e: { id: string }) => e.id)).toEqual(['e035', 'e030', 'e025', 'e020']);
    expect(ranged).toMatchObject({ total: 4, nextCursor: null });

    const badAction = await admin.api.get('/v1/admin/audit?action=everything');
    expect(badAction.status).toBe(400);
    const badCursor = await admin.api.get('/v1/admin/audit?cursor=nonsense');
    expect(badCursor.body.error.message).toMatch(/start from the first page/);
  });

  it('ADMIN-7: the server panel tells version, storage, users, sessions, documents, last purge and backup', async () => {
    const server = await harness.start();
    const admin = await server.signIn('admin');
    const editor = await server.signIn('editor');
    await editor.api.push('dog', [create(dogDoc(editor.actor)), create(dogDoc(editor.actor))]);
    await server.store.sql.run(
      `INSERT INTO server_audit (id, at, action, actor_id, actor_name, subject_id, subject_name, ip, detail)
       VALUES ('p1', '2026-02-02T00:00:00.000Z', 'trash.purged', 'cli', 'Server command line', NULL, NULL, NULL, '{}')`,
    );
    const info = await admin.api.get('/v1/admin/server');
    expect(serverInfoSchema.parse(info.body)).toMatchObject({
      protocol: 1,
      storage: { kind: adapter, sizeBytes: expect.any(Number) },
      users: 2,
      liveSessions: 2,
      documents: { dog: 2, video: 0, audit: 0 },
      lastPurge: { at: '2026-02-02T00:00:00.000Z', by: 'Server command line' },
      lastBackup: null,
    });
    expect(info.body.storage.sizeBytes).toBeGreaterThan(0);
    expect((await editor.api.get('/v1/admin/server')).status).toBe(403);
  });
});
