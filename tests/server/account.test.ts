/**
 * Issue 15: each user's own account (ACCOUNT-1, ACCOUNT-2) and an admin's
 * password change, on SQLite and PostgreSQL: sessions listed with "this
 * device", signed out one by one or all others, and a password change by the
 * user or by an admin ending the user's other sessions.
 */
import { describe, expect, it } from 'vitest';
import { ADAPTERS, PASSWORD, login, serverHarness } from './helpers';

const NEW_PASSWORD = 'copper-meadow-whistle-58';

describe.each(ADAPTERS)('own account on %s', (adapter) => {
  const harness = serverHarness(adapter);

  it('ACCOUNT-2: a user lists their own sessions, signs one out, then all others; never anyone else’s', async () => {
    const server = await harness.start();
    const vera = await server.signIn('viewer', 'vera');
    const phone = await login(server.url, 'vera');
    const tablet = await login(server.url, 'vera');
    const other = await server.signIn('viewer');

    const listed = (await vera.api.get('/v1/account/sessions')).body.sessions;
    expect(listed).toHaveLength(3);
    expect(listed.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    expect(listed[0]).toEqual({
      id: expect.any(String),
      device: 'test',
      ip: expect.any(String),
      createdAt: expect.any(String),
      lastUsedAt: expect.any(String),
      expiresAt: expect.any(String),
      current: expect.any(Boolean),
    });
    const phoneSession = (await phone.api.get('/v1/account/sessions')).body.sessions.find(
      (s: { current: boolean }) => s.current,
    );

    const othersSession = (await other.api.get('/v1/account/sessions')).body.sessions[0];
    expect((await vera.api.request('DELETE', `/v1/account/sessions/${othersSession.id}`)).status).toBe(404);
    expect((await other.api.pull('dog', null)).status).toBe(200);

    const one = await vera.api.request('DELETE', `/v1/account/sessions/${phoneSession.id}`);
    expect(one.body).toEqual({ revoked: true, current: false });
    expect((await phone.api.pull('dog', null)).status).toBe(401);
    expect((await tablet.api.pull('dog', null)).status).toBe(200);

    expect((await vera.api.post('/v1/account/sessions/revoke-others')).body).toEqual({ sessionsEnded: 1 });
    expect((await tablet.api.pull('dog', null)).status).toBe(401);
    expect((await vera.api.pull('dog', null)).status).toBe(200);
    const left = (await vera.api.get('/v1/account/sessions')).body.sessions;
    expect(left).toEqual([expect.objectContaining({ current: true })]);
    const audit = (await (await server.signIn('admin')).api.get('/v1/admin/audit?actor=vera&action=session.revoked'))
      .body.entries;
    expect(audit.map((e: { detail: { reason: string } }) => e.detail.reason)).toEqual([
      'revoked-by-user',
      'revoked-by-user',
    ]);
  });

  it('ACCOUNT-1: changing one’s own password needs the current one and ends the other sessions', async () => {
    const server = await harness.start();
    const ed = await server.signIn('editor', 'ed');
    const laptop = await login(server.url, 'ed');

    const wrong = await ed.api.post('/v1/account/password', {
      currentPassword: 'not-my-password-1',
      newPassword: NEW_PASSWORD,
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.fieldErrors).toEqual([
      { field: 'currentPassword', message: 'The current password is wrong. Type the password you signed in with.' },
    ]);
    const weak = await ed.api.post('/v1/account/password', { currentPassword: PASSWORD, newPassword: 'password123' });
    expect(weak.status).toBe(400);
    expect(weak.body.error.fieldErrors[0].field).toBe('password');
    expect((await laptop.api.pull('dog', null)).status).toBe(200);

    const changed = await ed.api.post('/v1/account/password', { currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
    expect(changed.body).toEqual({ sessionsEnded: 1 });
    expect((await laptop.api.pull('dog', null)).status).toBe(401);
    expect((await ed.api.pull('dog', null)).status).toBe(200);
    expect((await server.api().post('/v1/auth/login', { username: 'ed', password: PASSWORD })).status).toBe(401);
    await login(server.url, 'ed', NEW_PASSWORD);
  });

  it('ACCOUNT-1: wrong current passwords are throttled like sign-ins, never answered 401', async () => {
    const server = await harness.start({ loginBackoff: { freeFailures: 2, firstDelaySeconds: 60 } });
    const ed = await server.signIn('editor', 'ed');
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      const answer = await ed.api.post('/v1/account/password', {
        currentPassword: `guess-${attempt}`,
        newPassword: NEW_PASSWORD,
      });
      statuses.push(answer.status);
    }
    // The failure that starts a wait (the second here) already says when to try again (AUTH-7).
    expect(statuses).toEqual([400, 429, 429, 429]);
    expect((await ed.api.pull('dog', null)).status).toBe(200);
  });

  it('ADMIN-1: an admin setting a password says who is signed out, and ends every session of the user', async () => {
    const server = await harness.start();
    const admin = await server.signIn('admin');
    const eddie = await server.signIn('editor', 'eddie');
    await login(server.url, 'eddie');
    const route = `/v1/admin/users/${eddie.user.id}`;

    const preview = await admin.api.request('PATCH', route, { password: NEW_PASSWORD, dryRun: true });
    expect(preview.body.consequence).toEqual({ sessionsEnded: 2, devices: ['test', 'test'], when: 'now' });
    expect((await eddie.api.pull('dog', null)).status).toBe(200);
    const rename = await admin.api.request('PATCH', route, { name: 'Eddie E.', dryRun: true });
    expect(rename.body).toMatchObject({ user: { name: 'Eddie E.' }, consequence: { sessionsEnded: 0, when: 'none' } });
    expect((await admin.api.get('/v1/admin/users?search=eddie')).body.users[0].name).not.toBe('Eddie E.');

    const done = await admin.api.request('PATCH', route, { password: NEW_PASSWORD });
    expect(done.body.consequence).toMatchObject({ sessionsEnded: 2 });
    expect((await eddie.api.pull('dog', null)).status).toBe(401);
    await login(server.url, 'eddie', NEW_PASSWORD);
  });
});
