import { describe, expect, it } from 'vitest';
import { ADAPTERS, PASSWORD, awayFromWindowEnd, login, serverHarness } from './helpers';

describe.each(ADAPTERS)('authentication on %s', (adapter) => {
  const harness = serverHarness(adapter);

  it('AUTH-1: login returns tokens and the user; wrong credentials are 401 with one message', async () => {
    const server = await harness.start();
    await server.createUser({ username: 'Ada', name: 'Ada Lovelace', password: PASSWORD, role: 'editor' });
    const ok = await server.api().post('/v1/auth/login', { username: 'ada', password: PASSWORD, device: 'laptop' });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({
      accessToken: expect.any(String),
      accessTokenExpiresAt: expect.any(String),
      refreshToken: expect.any(String),
      sessionExpiresAt: expect.any(String),
      user: { id: expect.any(String), username: 'ada', name: 'Ada Lovelace', role: 'editor' },
    });
    expect(Date.parse(ok.body.accessTokenExpiresAt)).toBeGreaterThan(Date.now());
    // The session's own end (30 days without a refresh), as Team ▸ Sessions lists it.
    const sessionEnds = Date.parse(ok.body.sessionExpiresAt) - Date.now();
    expect(sessionEnds).toBeGreaterThan(29 * 86_400_000);
    expect(sessionEnds).toBeLessThanOrEqual(30 * 86_400_000);
    const wrong = await server.api().post('/v1/auth/login', { username: 'ada', password: 'not-the-password' });
    const unknown = await server.api().post('/v1/auth/login', { username: 'nobody', password: PASSWORD });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.error).toEqual(unknown.body.error);
    expect(wrong.body.error.code).toBe('UNAUTHORIZED');
  });

  it('AUTH-2 AUTH-3: refresh rotates; reusing a rotated token revokes the session', async () => {
    const server = await harness.start();
    const first = await server.signIn('editor');
    const rotated = await server.api().post('/v1/auth/refresh', { refreshToken: first.refreshToken });
    expect(rotated.status).toBe(200);
    expect(rotated.body.refreshToken).not.toBe(first.refreshToken);
    expect(rotated.body.user.id).toBe(first.user.id);
    const next = server.api(rotated.body.accessToken);
    expect((await next.pull('dog', null)).status).toBe(200);
    const third = await server.api().post('/v1/auth/refresh', { refreshToken: rotated.body.refreshToken });
    expect(third.status).toBe(200);

    // The first token's successor was used: presenting the first again is a reuse.
    const reuse = await server.api().post('/v1/auth/refresh', { refreshToken: first.refreshToken });
    expect(reuse.status).toBe(401);
    expect(reuse.body.error.message).toMatch(/already used/);
    expect((await server.api(third.body.accessToken).pull('dog', null)).status).toBe(401);
    const afterRevoke = await server.api().post('/v1/auth/refresh', { refreshToken: third.body.refreshToken });
    expect(afterRevoke.status).toBe(401);

    const admin = await server.signIn('admin');
    const audit = await admin.api.get('/v1/admin/audit');
    expect(audit.body.entries.map((e: { action: string }) => e.action)).toContain('session.refresh-reuse');
  });

  it('AUTH-3: a refresh whose answer was lost is asked again; the token it gave is withdrawn, and presenting that one ends the session', async () => {
    const server = await harness.start();
    const first = await server.signIn('editor', 'una');
    const refresh = (refreshToken: string) => server.api().post('/v1/auth/refresh', { refreshToken });
    // The answer to this refresh never reaches the device: it asks again with the same token, twice over.
    const lost = await refresh(first.refreshToken);
    expect(lost.status).toBe(200);
    const lostAgain = await refresh(first.refreshToken);
    expect(lostAgain.status).toBe(200);
    const retried = await refresh(first.refreshToken);
    expect(retried.status).toBe(200);
    expect(new Set([lost.body.refreshToken, lostAgain.body.refreshToken, retried.body.refreshToken]).size).toBe(3);

    // The device goes on with the last answer.
    const next = await refresh(retried.body.refreshToken);
    expect(next.status).toBe(200);
    expect((await server.api(next.body.accessToken).pull('dog', null)).status).toBe(200);
    // Its successor used, the first token is rotated for good: presenting it again ends the session.
    expect((await refresh(first.refreshToken)).status).toBe(401);
    expect((await server.api(next.body.accessToken).pull('dog', null)).status).toBe(401);

    const admin = await server.signIn('admin');
    const actions = (await admin.api.get('/v1/admin/audit')).body.entries.map((e: { action: string }) => e.action);
    expect(actions.filter((action: string) => action === 'session.refresh-repeated')).toHaveLength(2);
    expect(actions).toContain('session.refresh-reuse');
  });

  it('AUTH-3: a token withdrawn because its refresh was asked again ends the session when presented', async () => {
    const server = await harness.start();
    const first = await server.signIn('editor', 'vic');
    const refresh = (refreshToken: string) => server.api().post('/v1/auth/refresh', { refreshToken });
    // One party holds the first answer; the other presents the first token again, which withdraws that answer.
    const held = await refresh(first.refreshToken);
    const other = await refresh(first.refreshToken);
    expect(other.status).toBe(200);
    const withdrawn = await refresh(held.body.refreshToken);
    expect(withdrawn.status).toBe(401);
    expect(withdrawn.body.error.message).toMatch(/already used/);
    expect((await server.api(other.body.accessToken).pull('dog', null)).status).toBe(401);
    expect((await refresh(other.body.refreshToken)).status).toBe(401);
  });

  it('AUTH-2: a refresh of a session ended by disabling the account says whether the account is enabled again', async () => {
    const server = await harness.start();
    const admin = await server.signIn('admin');
    const laptop = await server.signIn('editor', 'eve');
    const phone = await login(server.url, 'eve');
    const disabled = await admin.api.request('PATCH', `/v1/admin/users/${laptop.user.id}`, { disabled: true });
    expect(disabled.status).toBe(200);

    const whileDisabled = await server.api().post('/v1/auth/refresh', { refreshToken: laptop.refreshToken });
    expect(whileDisabled.status).toBe(401);
    expect(whileDisabled.body.error.message).toBe(
      'An admin disabled your account, which ended this session; ask an admin to enable it, then sign in again.',
    );

    const enabled = await admin.api.request('PATCH', `/v1/admin/users/${laptop.user.id}`, { disabled: false });
    expect(enabled.status).toBe(200);
    // The phone was offline meanwhile: its session stays ended, but "ask an admin" would now mislead.
    const afterEnable = await server.api().post('/v1/auth/refresh', { refreshToken: phone.refreshToken });
    expect(afterEnable.status).toBe(401);
    expect(afterEnable.body.error.message).toBe(
      'An admin disabled your account, which ended this session; it has been enabled again since, so sign in again.',
    );
    await expect(login(server.url, 'eve')).resolves.toMatchObject({ user: { username: 'eve' } });
  });

  it('AUTH-2 AUTH-3: a claimed token presented again for a session already over says why it ended, not "already used"', async () => {
    const server = await harness.start();
    const admin = await server.signIn('admin');
    const laptop = await server.signIn('editor', 'ivy');
    await admin.api.request('PATCH', `/v1/admin/users/${laptop.user.id}`, { disabled: true });
    const disabledWhy =
      'An admin disabled your account, which ended this session; ask an admin to enable it, then sign in again.';
    // The first refresh claims the token and is refused; a second one (a client retrying) presents it again.
    for (let attempt = 0; attempt < 2; attempt++) {
      const refused = await server.api().post('/v1/auth/refresh', { refreshToken: laptop.refreshToken });
      expect(refused.status).toBe(401);
      expect(refused.body.error.message).toBe(disabledWhy);
    }
    const audit = await admin.api.get('/v1/admin/audit');
    expect(audit.body.entries.map((e: { action: string }) => e.action)).not.toContain('session.refresh-reuse');
  });

  it('AUTH-4: logout ends the session; its tokens stop working', async () => {
    const server = await harness.start();
    const session = await server.signIn('viewer');
    const out = await server.api().post('/v1/auth/logout', { refreshToken: session.refreshToken });
    expect(out.status).toBe(204);
    expect((await session.api.pull('dog', null)).status).toBe(401);
    expect((await server.api().post('/v1/auth/refresh', { refreshToken: session.refreshToken })).status).toBe(401);
    expect((await server.api().post('/v1/auth/logout', { refreshToken: 'unknown' })).status).toBe(204);
  });

  it('AUTH-5: missing, malformed, tampered, expired and revoked tokens are 401', async () => {
    const server = await harness.start({ accessTokenTtlSeconds: 1 });
    const session = await server.signIn('editor');
    const [prefix, body, signature] = session.accessToken.split('.');
    const claims = JSON.parse(Buffer.from(body!, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, exp: claims.exp + 3600 })).toString('base64url');
    const tokens = [
      null,
      'garbage',
      `${prefix}.${forged}.${signature}`,
      `${prefix}.${body}.${signature!.slice(0, -2)}xx`,
      `${prefix}.${body}`,
    ];
    for (const token of tokens) {
      const response = await server.api(token).pull('dog', null);
      expect(response.status, String(token)).toBe(401);
      expect(response.body.error.code).toBe('UNAUTHORIZED');
    }
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const expired = await session.api.pull('dog', null);
    expect(expired.status).toBe(401);
    expect(expired.body.error.message).toMatch(/expired; refresh/);
  });

  it('AUTH-6: the password policy refuses short, guessable and user-name passwords with a reason', async () => {
    const server = await harness.start();
    const admin = await server.signIn('admin');
    const attempts: [string, RegExp][] = [
      ['short1', /at least 10 characters/],
      ['password123', /too easy to guess\. This is a commonly used password/],
      ['QWERTYUIOP', /too easy to guess\. This is a frequently used password/],
      ['marguerite-x', /must not be the user name/],
    ];
    for (const [password, reason] of attempts) {
      const response = await admin.api.post('/v1/admin/users', {
        username: 'marguerite-x',
        name: 'Marguerite',
        password,
        role: 'editor',
      });
      expect(response.status, password).toBe(400);
      expect(response.body.error.code).toBe('VALIDATION');
      expect(response.body.error.message).toMatch(reason);
    }
    await expect(
      server.createUser({ username: 'bob', name: 'Bob', password: '1234567890', role: 'viewer' }),
    ).rejects.toMatchObject({ code: 'VALIDATION' });
  });

  it('AUTH-7: failed sign-ins make the user name wait from that address; audited; a new password lifts the wait', async () => {
    const server = await harness.start({ loginBackoff: { freeFailures: 3, firstDelaySeconds: 60 } });
    await server.createUser({ username: 'carol', name: 'Carol', password: PASSWORD, role: 'editor' });
    const wrong = [];
    for (let i = 0; i < 3; i += 1) {
      wrong.push(await server.api().post('/v1/auth/login', { username: 'carol', password: 'wrong-password!' }));
    }
    expect(wrong.map((r) => r.status)).toEqual([401, 401, 401]);
    expect(wrong[2]!.body.error.message).toMatch(/try again in 60 s/);
    expect(wrong[2]!.headers.get('retry-after')).toBe('60');
    const waiting = await server.api().post('/v1/auth/login', { username: 'carol', password: PASSWORD });
    expect(waiting.status).toBe(429);
    expect(waiting.body.error.code).toBe('RATE_LIMITED');
    const admin = await server.signIn('admin');
    const actions = (await admin.api.get('/v1/admin/audit')).body.entries.map((e: { action: string }) => e.action);
    expect(actions).toContain('login.throttled');
    expect(actions.filter((a: string) => a === 'login.failed').length).toBeGreaterThanOrEqual(4);

    const users = (await admin.api.get('/v1/admin/users')).body.users as { id: string; username: string }[];
    const carol = users.find((u) => u.username === 'carol')!;
    expect(carol).toMatchObject({ lockedUntil: expect.any(String) });
    const reset = await admin.api.request('PATCH', `/v1/admin/users/${carol.id}`, { password: 'a-new-long-secret' });
    expect(reset.status).toBe(200);
    expect(reset.body.user.lockedUntil).toBeNull();
    await expect(login(server.url, 'carol', 'a-new-long-secret')).resolves.toMatchObject({
      user: { username: 'carol' },
    });
  });

  it('AUTH-8: sign-in is rate limited per address with 429 and Retry-After', async () => {
    const server = await harness.start({ loginRateLimit: { max: 3, windowSeconds: 60 } });
    await awayFromWindowEnd(60, 20);
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 5; i += 1) {
      last = await server.api().post('/v1/auth/login', { username: 'x', password: 'y' });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    expect(last!.body.error.code).toBe('RATE_LIMITED');
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
