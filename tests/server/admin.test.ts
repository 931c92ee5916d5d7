import { describe, expect, it } from 'vitest';
import { pseudonymFor } from '../../server';
import { auditDoc, conflictDoc, create, dogDoc } from './documents';
import { ADAPTERS, PASSWORD, login, serverHarness } from './helpers';

describe.each(ADAPTERS)('administration on %s', (adapter) => {
  const harness = serverHarness(adapter);

  it('ADMIN-1: admins create, list, change and disable users; others may not', async () => {
    const server = await harness.start();
    const admin = await server.signIn('admin');
    const editor = await server.signIn('editor');
    expect((await editor.api.get('/v1/admin/users')).status).toBe(403);

    const created = await admin.api.post('/v1/admin/users', {
      username: 'Dana',
      name: 'Dana Scully',
      password: PASSWORD,
      role: 'viewer',
    });
    expect(created.status).toBe(201);
    expect(created.body.user).toMatchObject({ username: 'dana', name: 'Dana Scully', role: 'viewer', disabled: false });
    expect(created.body.user).not.toHaveProperty('password_hash');
    const duplicate = await admin.api.post('/v1/admin/users', {
      username: 'dana',
      name: 'D',
      password: PASSWORD,
      role: 'viewer',
    });
    expect(duplicate.status).toBe(409);
    const badRole = await admin.api.post('/v1/admin/users', {
      username: 'eve',
      name: 'E',
      password: PASSWORD,
      role: 'root',
    });
    expect(badRole.status).toBe(400);

    const id = created.body.user.id;
    const dana = await login(server.url, 'dana');
    const promoted = await admin.api.request('PATCH', `/v1/admin/users/${id}`, {
      role: 'editor',
      name: 'Agent Scully',
    });
    expect(promoted.body.user).toMatchObject({ role: 'editor', name: 'Agent Scully' });
    expect((await dana.api.push('dog', [])).status).toBe(200);

    const disabled = await admin.api.request('PATCH', `/v1/admin/users/${id}`, { disabled: true });
    expect(disabled.body.user.disabled).toBe(true);
    expect((await dana.api.pull('dog', null)).status).toBe(401);
    const again = await server.api().post('/v1/auth/login', { username: 'dana', password: PASSWORD });
    expect(again.body.error.message).toMatch(/disabled/);

    const names = (await admin.api.get('/v1/admin/users')).body.users.map((u: { username: string }) => u.username);
    expect(names).toEqual(expect.arrayContaining(['dana', admin.user.username, editor.user.username]));
    expect((await admin.api.request('PATCH', '/v1/admin/users/nope', { role: 'viewer' })).status).toBe(404);
  });

  it('ADMIN-2: admins list sessions and revoke one; its access token stops working at once', async () => {
    const server = await harness.start();
    const admin = await server.signIn('admin');
    const editor = await server.signIn('editor');
    const sessions = (await admin.api.get('/v1/admin/sessions')).body.sessions;
    const mine = sessions.find((s: { userId: string }) => s.userId === editor.user.id);
    expect(mine).toMatchObject({ username: editor.user.username, device: 'test', revokedAt: null });
    expect((await admin.api.request('DELETE', `/v1/admin/sessions/${mine.id}`)).status).toBe(204);
    expect((await editor.api.pull('dog', null)).status).toBe(401);
    const live = (await admin.api.get('/v1/admin/sessions')).body.sessions.map((s: { id: string }) => s.id);
    expect(live).not.toContain(mine.id);
    const all = (await admin.api.get('/v1/admin/sessions?all=1')).body.sessions;
    expect(all.find((s: { id: string }) => s.id === mine.id).revokedReason).toBe('revoked-by-admin');
    const actions = (await admin.api.get('/v1/admin/audit')).body.entries.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['session.revoked', 'login.succeeded', 'user.created']));
  });

  it('ADMIN-3 ADMIN-4: export what a user did, then erase them: pseudonym everywhere, history intact', async () => {
    const server = await harness.start();
    const admin = await server.signIn('admin');
    const gone = await server.signIn('editor');
    const doc = dogDoc(gone.actor);
    const entry = auditDoc(gone.actor, doc.id);
    const record = conflictDoc(gone.actor, { local: { updatedBy: gone.actor } });
    const other = dogDoc(admin.actor);
    await gone.api.push('dog', [create(doc)]);
    await gone.api.push('audit', [create(entry)]);
    await gone.api.push('conflicts', [create(record)]);
    await admin.api.push('dog', [create(other)]);

    const exported = await admin.api.get(`/v1/admin/users/${gone.user.id}/export`);
    expect(exported.status).toBe(200);
    expect(exported.body.user.username).toBe(gone.user.username);
    expect(exported.body.documents).toEqual({ dog: [doc], audit: [entry], conflicts: [record] });
    expect(exported.body.sessions).toHaveLength(1);
    expect(exported.body.serverAudit.map((e: { action: string }) => e.action)).toContain('login.succeeded');
    const exportAudit = await admin.api.get('/v1/admin/audit?action=user.exported');
    expect(exportAudit.body.entries[0]).toMatchObject({ actor: { id: admin.user.id }, subject: { id: gone.user.id } });

    const unconfirmed = await admin.api.request('DELETE', `/v1/admin/users/${gone.user.id}?confirm=someone-else`);
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.body.error).toMatchObject({ code: 'CONFIRMATION_REQUIRED' });
    expect(unconfirmed.body.error.message).toContain(`type the user name "${gone.user.username}"`);
    const route = `/v1/admin/users/${gone.user.id}?confirm=${gone.user.username}`;
    const removed = await admin.api.request('DELETE', route);
    const pseudonym = pseudonymFor(gone.user.id);
    expect(removed.body).toEqual({
      removed: true,
      pseudonym,
      consequence: { sessionsEnded: 1, devices: ['test'], when: 'now' },
    });
    expect((await gone.api.pull('dog', null)).status).toBe(401);

    const dogs = (await admin.api.pull('dog', null)).body.documents;
    const erased = dogs.find((d: { id: string }) => d.id === doc.id);
    expect(erased).toEqual({
      ...doc,
      rev: expect.any(String),
      createdBy: { id: gone.user.id, name: pseudonym },
      updatedBy: { id: gone.user.id, name: pseudonym },
    });
    expect(erased.rev).not.toBe(doc.rev);
    expect(dogs.find((d: { id: string }) => d.id === other.id)).toEqual(other);
    const audit = (await admin.api.pull('audit', null)).body.documents;
    expect(audit).toEqual([{ ...entry, rev: expect.any(String), actor: { id: gone.user.id, name: pseudonym } }]);
    const conflicts = (await admin.api.pull('conflicts', null)).body.documents;
    expect(conflicts[0].detectedBy.name).toBe(pseudonym);
    expect(conflicts[0].local.updatedBy.name).toBe(pseudonym);
    const text = JSON.stringify([dogs, audit, conflicts, (await admin.api.get('/v1/admin/audit')).body]);
    expect(text).not.toContain(gone.actor.name);
    expect(text).not.toContain(gone.user.username);
    expect((await admin.api.get(`/v1/admin/users/${gone.user.id}/export`)).status).toBe(404);
  });

  it('ADMIN-1: the last enabled admin cannot be demoted, disabled or removed', async () => {
    const server = await harness.start();
    const admin = await server.signIn('admin');
    const route = `/v1/admin/users/${admin.user.id}`;
    for (const change of [{ role: 'editor' }, { disabled: true }]) {
      const response = await admin.api.request('PATCH', route, change);
      expect(response.status).toBe(409);
      expect(response.body.error.message).toMatch(/last enabled admin/);
    }
    expect((await admin.api.request('DELETE', `${route}?confirm=${admin.user.username}`)).status).toBe(409);
    expect((await admin.api.request('DELETE', `${route}?dryRun=1`)).status).toBe(409);
    const other = await server.signIn('admin');
    expect((await other.api.request('PATCH', route, { role: 'editor' })).status).toBe(200);
  });

  it('ADMIN-5: the server audit records logins, failures and user changes, admins only', async () => {
    const server = await harness.start();
    const admin = await server.signIn('admin');
    await server.api().post('/v1/auth/login', { username: admin.user.username, password: 'wrong-password-x' });
    const viewer = await server.signIn('viewer');
    expect((await viewer.api.get('/v1/admin/audit')).status).toBe(403);
    const entries = (await admin.api.get('/v1/admin/audit?limit=50')).body.entries;
    const failed = entries.find((e: { action: string }) => e.action === 'login.failed');
    expect(failed).toMatchObject({ subject: { id: admin.user.id, name: admin.user.username }, ip: expect.any(String) });
    expect(entries.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['login.succeeded', 'login.failed', 'user.created']),
    );
    expect(JSON.stringify(entries)).not.toContain('wrong-password-x');
  });
});
