import { describe, expect, it } from 'vitest';
import { auditDoc, conflictDoc, create, dogDoc, edit, update } from './documents';
import { ADAPTERS, serverHarness } from './helpers';

describe.each(ADAPTERS)('roles on %s', (adapter) => {
  const harness = serverHarness(adapter);

  it('ROLE-1: a viewer pulls but cannot push (403 for the whole request)', async () => {
    const server = await harness.start();
    const viewer = await server.signIn('viewer');
    expect((await viewer.api.pull('video', null)).status).toBe(200);
    const response = await viewer.api.push('dog', [create(dogDoc(viewer.actor))]);
    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe('FORBIDDEN');
    expect((await viewer.api.pull('dog', null)).body.documents).toEqual([]);
  });

  it('ROLE-2: an editor trashes and restores but cannot delete permanently', async () => {
    const server = await harness.start();
    const { api, actor } = await server.signIn('editor');
    const doc = dogDoc(actor);
    await api.push('dog', [create(doc)]);
    const trashed = edit(doc, actor, { deletedAt: new Date().toISOString(), deletedBy: actor });
    expect((await api.push('dog', [update(doc, trashed)])).body).toEqual({ conflicts: [], refused: [] });
    const restored = edit(trashed, actor, { deletedAt: null, deletedBy: null });
    expect((await api.push('dog', [update(trashed, restored)])).body).toEqual({ conflicts: [], refused: [] });
    const purge = { ...restored, rev: 'purge-rev', _deleted: true };
    const response = await api.push('dog', [update(restored, purge)]);
    expect(response.body.refused).toEqual([
      { id: doc.id, code: 'FORBIDDEN', reason: expect.stringMatching(/Only admins/) },
    ]);
    expect((await api.pull('dog', null)).body.documents).toEqual([restored]);
  });

  it('ROLE-2: an editor creates conflict records but cannot resolve them', async () => {
    const server = await harness.start();
    const editor = await server.signIn('editor');
    const admin = await server.signIn('admin');
    const record = conflictDoc(editor.actor);
    expect((await editor.api.push('conflicts', [create(record)])).body.refused).toEqual([]);
    const resolved = {
      ...record,
      rev: 'r2',
      status: 'resolved',
      closedAt: new Date().toISOString(),
      closedBy: editor.actor,
    };
    expect((await editor.api.push('conflicts', [update(record, resolved)])).body.refused[0].code).toBe('FORBIDDEN');
    const born = conflictDoc(editor.actor, { status: 'dismissed' });
    expect((await editor.api.push('conflicts', [create(born)])).body.refused[0].code).toBe('FORBIDDEN');
    const byAdmin = { ...resolved, closedBy: admin.actor };
    expect((await admin.api.push('conflicts', [update(record, byAdmin)])).body).toEqual({ conflicts: [], refused: [] });
  });

  it('ROLE-3: an admin deletes permanently; the tombstone is pulled', async () => {
    const server = await harness.start();
    const editor = await server.signIn('editor');
    const admin = await server.signIn('admin');
    const doc = dogDoc(editor.actor);
    await editor.api.push('dog', [create(doc)]);
    const tombstone = { ...doc, rev: 'tomb', _deleted: true };
    expect((await admin.api.push('dog', [update(doc, tombstone)])).body).toEqual({ conflicts: [], refused: [] });
    expect((await editor.api.pull('dog', null)).body.documents).toEqual([tombstone]);
  });

  it('ROLE-4: the recorded actor must be the pusher, for entities and audit entries', async () => {
    const server = await harness.start();
    const alice = await server.signIn('editor');
    const mallory = await server.signIn('admin');
    const forgedDoc = dogDoc(alice.actor);
    const forgedAudit = auditDoc(alice.actor, forgedDoc.id);
    const docResponse = await mallory.api.push('dog', [create(forgedDoc)]);
    expect(docResponse.body.refused).toEqual([
      { id: forgedDoc.id, code: 'FORBIDDEN', reason: expect.stringContaining(alice.user.id) },
    ]);
    const auditResponse = await mallory.api.push('audit', [create(forgedAudit)]);
    expect(auditResponse.body.refused[0]).toMatchObject({ id: forgedAudit.id, code: 'FORBIDDEN' });
    expect((await alice.api.pull('dog', null)).body.documents).toEqual([]);
    expect((await alice.api.pull('audit', null)).body.documents).toEqual([]);
  });
});
