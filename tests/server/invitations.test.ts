/**
 * Issue 15: invitations and reset codes (ADMIN-6, AUTH-9) on SQLite and
 * PostgreSQL: a user invited without a password chooses one under the policy
 * with a one-time code that expires and can be withdrawn; a reset code ends
 * the user's sessions when used.
 */
import { describe, expect, it } from 'vitest';
import { ADAPTERS, Api, PASSWORD, login, serverHarness, type TestServer } from './helpers';

const CHOSEN = 'velvet-harbor-lantern-93';

async function setup(server: TestServer, body: Record<string, unknown>) {
  return new Api(server.url).post('/v1/auth/setup', { device: 'laptop', ...body });
}

describe.each(ADAPTERS)('setup codes on %s', (adapter) => {
  const harness = serverHarness(adapter);

  it('AUTH-9 ADMIN-6: an invited user chooses a password under the policy with a single-use code', async () => {
    const server = await harness.start();
    const admin = await server.signIn('admin');
    const invited = await admin.api.post('/v1/admin/users', { username: 'Nora', name: 'Nora North', role: 'editor' });
    expect(invited.status).toBe(201);
    const { user, setupCode } = invited.body;
    expect(user).toMatchObject({ username: 'nora', invited: true, setupCode: { kind: 'invitation', expired: false } });
    expect(setupCode).toMatchObject({
      kind: 'invitation',
      username: 'nora',
      code: expect.stringMatching(/^[0-9A-Z]{24}$/),
    });
    // Seven days by default.
    const days = (Date.parse(setupCode.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThanOrEqual(7);

    // No password works before the invitation is used, not even an empty one.
    const early = await server.api().post('/v1/auth/login', { username: 'nora', password: PASSWORD });
    expect(early.status).toBe(401);

    // A weak password is refused with the policy's reason, and the code stays usable.
    const weak = await setup(server, { username: 'nora', code: setupCode.code, password: 'nora north' });
    expect(weak.status).toBe(400);
    expect(weak.body.error.fieldErrors).toEqual([{ field: 'password', message: expect.any(String) }]);

    // Typed in groups, lower case, with an O for a zero: still the code.
    const typed = setupCode.code
      .toLowerCase()
      .replace(/(.{4})/g, '$1-')
      .replace(/0/g, 'o');
    const accepted = await setup(server, { username: 'Nora', code: typed, password: CHOSEN });
    expect(accepted.status).toBe(200);
    expect(accepted.body.user).toMatchObject({ username: 'nora', role: 'editor' });
    expect((await new Api(server.url, accepted.body.accessToken).pull('dog', null)).status).toBe(200);
    await login(server.url, 'nora', CHOSEN);

    const again = await setup(server, { username: 'nora', code: setupCode.code, password: 'another-quiet-river-77' });
    expect(again.status).toBe(400);
    expect(again.body.error.message).toMatch(/already used/);
    const listed = (await admin.api.get('/v1/admin/users?search=nora')).body.users[0];
    // The latest sign-in is the password one above.
    expect(listed).toMatchObject({ invited: false, setupCode: null, lastSignIn: { device: 'test' } });
    const actions = (await admin.api.get('/v1/admin/audit?actor=nora')).body.entries.map(
      (e: { action: string }) => e.action,
    );
    expect(actions).toEqual(
      expect.arrayContaining(['user.setup-code-used', 'user.password-changed', 'login.succeeded']),
    );
  });

  it('AUTH-9: an expired, withdrawn or wrong code is refused with a message that says what to do', async () => {
    const server = await harness.start();
    const admin = await server.signIn('admin');
    const created = await admin.api.post('/v1/admin/users', {
      username: 'otto',
      name: 'Otto',
      role: 'viewer',
      expiresInDays: 2,
    });
    const first = created.body.setupCode;
    expect((Date.parse(first.expiresAt) - Date.now()) / 86_400_000).toBeLessThanOrEqual(2);
    const id = created.body.user.id;

    const wrong = await setup(server, { username: 'otto', code: 'AAAA-BBBB-CCCC-DDDD-EEEE-FFFF', password: CHOSEN });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.message).toBe('Wrong user name or setup code.');
    const nobody = await setup(server, { username: 'nobody', code: first.code, password: CHOSEN });
    expect(nobody.body.error.message).toBe('Wrong user name or setup code.');

    // Re-issuing withdraws the first code.
    const reissued = await admin.api.post(`/v1/admin/users/${id}/setup-code`, {});
    expect(reissued.body).toMatchObject({ kind: 'invitation', consequence: { sessionsEnded: 0, when: 'none' } });
    const withdrawn = await setup(server, { username: 'otto', code: first.code, password: CHOSEN });
    expect(withdrawn.status).toBe(400);
    expect(withdrawn.body.error).toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/withdrawn/) });

    // Revoked: the second code stops working too.
    expect((await admin.api.request('DELETE', `/v1/admin/users/${id}/setup-code`)).body).toEqual({ revoked: true });
    expect((await admin.api.request('DELETE', `/v1/admin/users/${id}/setup-code`)).body).toEqual({ revoked: false });
    const revoked = await setup(server, { username: 'otto', code: reissued.body.setupCode.code, password: CHOSEN });
    expect(revoked.body.error.message).toMatch(/withdrawn by an admin/);

    // Expired: the code's time is over (moved back in the store rather than waiting days).
    const third = (await admin.api.post(`/v1/admin/users/${id}/setup-code`, { expiresInDays: 1 })).body.setupCode;
    await server.store.sql.run('UPDATE setup_codes SET expires_at = ? WHERE user_id = ? AND used_at IS NULL', [
      new Date(Date.now() - 1000).toISOString(),
      id,
    ]);
    const listed = (await admin.api.get('/v1/admin/users?search=otto')).body.users[0];
    expect(listed.setupCode).toMatchObject({ expired: true });
    const expired = await setup(server, { username: 'otto', code: third.code, password: CHOSEN });
    expect(expired.status).toBe(400);
    expect(expired.body.error.message).toMatch(/expired on \d{4}-\d{2}-\d{2}\. Ask an admin for a new one\./);
    expect((await admin.api.post(`/v1/admin/users/${id}/setup-code`, { expiresInDays: 91 })).status).toBe(400);
    const editor = await server.signIn('editor');
    expect((await editor.api.post(`/v1/admin/users/${id}/setup-code`, {})).status).toBe(403);
  });

  it('ADMIN-6: the default lifetime of a code is a server option (setupCodeDays), from 1 to 90 days', async () => {
    const server = await harness.start({ setupCodeDays: 3 });
    const admin = await server.signIn('admin');
    const { setupCode } = (await admin.api.post('/v1/admin/users', { username: 'tia', name: 'Tia', role: 'viewer' }))
      .body;
    const days = (Date.parse(setupCode.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(2.9);
    expect(days).toBeLessThanOrEqual(3);
    await expect(harness.start({ setupCodeDays: 0 })).rejects.toThrow(/Setup codes last 1 to 90 days; got 0/);
  });

  it('ADMIN-6: a reset code says whom it signs out, and ends every session of the user once used', async () => {
    const server = await harness.start();
    const admin = await server.signIn('admin');
    const eddie = await server.signIn('editor', 'eddie');
    const phone = await login(server.url, 'eddie');
    const route = `/v1/admin/users/${eddie.user.id}/setup-code`;

    const preview = await admin.api.post(route, { dryRun: true });
    expect(preview.body).toEqual({
      kind: 'reset',
      setupCode: null,
      consequence: { sessionsEnded: 2, devices: ['test', 'test'], when: 'code-used' },
    });
    const { setupCode } = (await admin.api.post(route, {})).body;
    expect(setupCode.kind).toBe('reset');
    // Until the code is used, the old password and sessions go on.
    expect((await phone.api.pull('dog', null)).status).toBe(200);

    const used = await setup(server, { username: 'eddie', code: setupCode.code, password: CHOSEN });
    expect(used.status).toBe(200);
    for (const old of [eddie, phone]) expect((await old.api.pull('dog', null)).status).toBe(401);
    expect((await new Api(server.url, used.body.accessToken).pull('dog', null)).status).toBe(200);
    const oldPassword = await server.api().post('/v1/auth/login', { username: 'eddie', password: PASSWORD });
    expect(oldPassword.status).toBe(401);
    const revoked = (await admin.api.get(`/v1/admin/sessions?all=1&userId=${eddie.user.id}`)).body.sessions;
    expect(revoked.filter((s: { revokedReason: string }) => s.revokedReason === 'password-reset')).toHaveLength(2);
  });
});
