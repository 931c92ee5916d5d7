import { describe, expect, it } from 'vitest';
import { REPLICATED_COLLECTIONS } from '../../shared/protocol';
import { auditDoc, conflictDoc, create, dogDoc, edit, update } from './documents';
import { ADAPTERS, Api, serverHarness } from './helpers';

describe.each(ADAPTERS)('sync protocol on %s', (adapter) => {
  const harness = serverHarness(adapter);

  it('PROTO-1: a request without or with another protocol version gets 426 and what to do', async () => {
    const server = await harness.start();
    const bare = await fetch(`${server.url}/v1/auth/login`, { method: 'POST', body: '{}' });
    expect(bare.status).toBe(426);
    const body = (await bare.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('UPGRADE_REQUIRED');
    expect(body.error.message).toMatch(/Update Curio/);
    const other = await server.api().request('POST', '/v1/auth/login', {}, { headers: { 'x-curio-protocol': '2' } });
    expect(other.status).toBe(426);
    expect(other.body.error.message).toMatch(/speaks sync protocol 2/);
  });

  it('PROTO-3: an unknown collection is 404 NOT_FOUND naming the known ones', async () => {
    const server = await harness.start();
    const { api } = await server.signIn('admin');
    const response = await api.pull('cats', null);
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('NOT_FOUND');
    expect(response.body.error.message).toContain('video');
  });

  it('PULL-1 PULL-2 PULL-3: pull pages by sequence and returns the last sequence as checkpoint', async () => {
    const server = await harness.start();
    const { api, actor } = await server.signIn('editor');
    const docs = Array.from({ length: 5 }, () => dogDoc(actor));
    expect((await api.push('dog', docs.map(create))).body).toEqual({ conflicts: [], refused: [] });

    const empty = await api.pull('person', null);
    expect(empty.body).toEqual({ documents: [], checkpoint: { sequence: 0 }, hasMore: false });

    const first = await api.pull('dog', null, 3);
    expect(first.body.documents.map((d: { id: string }) => d.id)).toEqual(docs.slice(0, 3).map((d) => d.id));
    const second = await api.pull('dog', first.body.checkpoint.sequence, 3);
    expect(second.body.documents.map((d: { id: string }) => d.id)).toEqual(docs.slice(3).map((d) => d.id));
    const done = await api.pull('dog', second.body.checkpoint.sequence, 3);
    expect(done.body).toEqual({ documents: [], checkpoint: second.body.checkpoint, hasMore: false });
    expect(second.body.checkpoint.sequence).toBeGreaterThan(first.body.checkpoint.sequence);
  });

  it('PULL-2: an updated document moves to the end of the order', async () => {
    const server = await harness.start();
    const { api, actor } = await server.signIn('editor');
    const [a, b] = [dogDoc(actor), dogDoc(actor)];
    await api.push('dog', [create(a), create(b)]);
    const a2 = edit(a, actor, { breed: 'Beagle' });
    await api.push('dog', [update(a, a2)]);
    const all = await api.pull('dog', null);
    expect(all.body.documents).toEqual([b, a2]);
  });

  it('PULL-5: documents come back exactly as pushed, SQL-looking and unicode text included', async () => {
    const server = await harness.start();
    const { api, actor } = await server.signIn('editor');
    const tricky = dogDoc(actor, {
      name: "Robert'); DROP TABLE documents;-- 🐕 Ñandú 犬 \u202e",
      breed: '%_\\ \' " ` $1 ? :name',
      color: '\u0000'.replace('\u0000', 'zero-width\u200bjoiner'),
    });
    const pushed = await api.push('dog', [create(tricky)]);
    expect(pushed.body.refused).toEqual([]);
    const pulled = await api.pull('dog', null);
    expect(pulled.body.documents).toEqual([tricky]);
    expect(JSON.stringify(pulled.body.documents[0])).toBe(JSON.stringify(tricky));
  });

  it('PUSH-2: a stale assumed master is a conflict answered with the stored document; nothing is written', async () => {
    const server = await harness.start();
    const alice = await server.signIn('editor');
    const bob = await server.signIn('editor');
    const doc = dogDoc(alice.actor);
    await alice.api.push('dog', [create(doc)]);
    const byAlice = edit(doc, alice.actor, { breed: 'Poodle' });
    await alice.api.push('dog', [update(doc, byAlice)]);

    const byBob = edit(doc, bob.actor, { breed: 'Corgi' });
    const response = await bob.api.push('dog', [update(doc, byBob)]);
    expect(response.body).toEqual({ conflicts: [byAlice], refused: [] });
    const again = await bob.api.push('dog', [create(edit(doc, bob.actor))]);
    expect(again.body.conflicts).toEqual([byAlice]);
    expect((await bob.api.pull('dog', null)).body.documents).toEqual([byAlice]);
  });

  it('PUSH-3: a row whose assumed master matches is written; an assumed master the server never had is an insert', async () => {
    const server = await harness.start();
    const { api, actor } = await server.signIn('editor');
    const doc = dogDoc(actor);
    const response = await api.push('dog', [update(edit(doc, actor), doc)]);
    expect(response.body).toEqual({ conflicts: [], refused: [] });
    expect((await api.pull('dog', null)).body.documents).toEqual([doc]);
  });

  it('PUSH-4: a retried batch changes nothing and reports no conflict', async () => {
    const server = await harness.start();
    const { api, actor } = await server.signIn('editor');
    const [a, b] = [dogDoc(actor), dogDoc(actor)];
    await api.push('dog', [create(b)]);
    const b2 = edit(b, actor, { name: 'Rex' });
    const batch = [create(a), update(b, b2)];
    const audit = auditDoc(actor, a.id);
    expect((await api.push('dog', batch)).body).toEqual({ conflicts: [], refused: [] });
    await api.push('audit', [create(audit)]);
    const before = await api.pull('dog', null);
    expect((await api.push('dog', batch)).body).toEqual({ conflicts: [], refused: [] });
    expect((await api.push('audit', [create(audit)])).body).toEqual({ conflicts: [], refused: [] });
    const after = await api.pull('dog', null);
    expect(after.body).toEqual(before.body);
    expect(after.body.documents).toEqual([a, b2]);
  });

  it('PUSH-5: refused rows come back with code and reason and nothing is stored for them', async () => {
    const server = await harness.start();
    const { api, actor } = await server.signIn('editor');
    const good = dogDoc(actor);
    const badField = dogDoc(actor, { birthYear: 'nineteen' });
    const unknownField = dogDoc(actor, { owner: 'x' });
    const noDeleted = dogDoc(actor);
    delete noDeleted._deleted;
    const response = await api.push('dog', [create(badField), create(good), create(unknownField), create(noDeleted)]);
    expect(response.status).toBe(200);
    expect(response.body.conflicts).toEqual([]);
    expect(response.body.refused).toEqual([
      {
        id: badField.id,
        code: 'VALIDATION',
        reason: 'This dog is not valid. Birth year: Birth year must be a number.',
        fields: ['birthYear'],
      },
      {
        id: unknownField.id,
        code: 'VALIDATION',
        reason: 'This dog is not valid. Unknown field: owner.',
        fields: ['owner'],
      },
      { id: noDeleted.id, code: 'VALIDATION', reason: expect.stringContaining('_deleted'), fields: ['_deleted'] },
    ]);
    expect((await api.pull('dog', null)).body.documents).toEqual([good]);
  });

  it('PUSH-5: a refusal names the fields by the labels the app shows, links by the type they link to', async () => {
    const server = await harness.start();
    const { api, actor } = await server.signIn('editor');
    const dog = dogDoc(actor, { aliases: ['Rex', ' '] });
    const video = dogDoc(actor, { title: 'Walk', people: ['not-an-id'], tripId: 'x', youtubeId: 'short' });
    for (const dogField of ['name', 'aliases', 'photoVisible']) delete video[dogField];
    const response = await api.push('dog', [create(dog)]);
    expect(response.body.refused).toEqual([
      {
        id: dog.id,
        code: 'VALIDATION',
        reason: 'This dog is not valid. Aliases, item 2: An alias cannot be empty.',
        fields: ['aliases.1'],
      },
    ]);
    expect((await api.push('video', [create(video)])).body.refused).toEqual([
      {
        id: video.id,
        code: 'VALIDATION',
        reason:
          'This video is not valid. YouTube id: YouTube id must be exactly 11 characters of letters, digits, "-" or "_" ' +
          '(e.g. dQw4w9WgXcQ). People, item 1: Must be a valid id. Trip: Must be a valid id.',
        fields: ['youtubeId', 'people.0', 'tripId'],
      },
    ]);
    expect((await api.pull('video', null)).body.documents).toEqual([]);
  });

  it('PUSH-6: an audit entry cannot be edited once stored (append-only), not even by an admin', async () => {
    const server = await harness.start();
    const { api, actor } = await server.signIn('admin');
    const entry = auditDoc(actor, dogDoc(actor).id);
    await api.push('audit', [create(entry)]);
    const changed = { ...entry, rev: 'other', entityTitle: 'Forged' };
    const response = await api.push('audit', [update(entry, changed)]);
    expect(response.body.refused).toEqual([
      { id: entry.id, code: 'FORBIDDEN', reason: expect.stringMatching(/append-only/) },
    ]);
    const deleted = await api.push('audit', [update(entry, { ...entry, rev: 'x', _deleted: true })]);
    expect(deleted.body.refused[0].code).toBe('FORBIDDEN');
    expect((await api.pull('audit', null)).body.documents).toEqual([entry]);
  });

  it('PUSH-7: rows of one batch apply in order, a later row seeing an earlier one', async () => {
    const server = await harness.start();
    const { api, actor } = await server.signIn('editor');
    const v1 = dogDoc(actor);
    const v2 = edit(v1, actor, { name: 'Two' });
    const v3 = edit(v2, actor, { name: 'Three' });
    const response = await api.push('dog', [create(v1), update(v1, v2), update(v2, v3)]);
    expect(response.body).toEqual({ conflicts: [], refused: [] });
    expect((await api.pull('dog', null)).body.documents).toEqual([v3]);
  });

  it('PUSH-1: every replicated collection accepts its own documents', async () => {
    const server = await harness.start();
    const { api, actor } = await server.signIn('admin');
    const samples: Record<string, Record<string, unknown>> = {
      audit: auditDoc(actor, dogDoc(actor).id),
      conflicts: conflictDoc(actor),
      dog: dogDoc(actor),
    };
    for (const collection of Object.keys(samples)) {
      expect(REPLICATED_COLLECTIONS).toContain(collection);
      const response = await api.push(collection, [create(samples[collection])]);
      expect(response.body).toEqual({ conflicts: [], refused: [] });
      expect((await api.pull(collection, null)).body.documents).toEqual([samples[collection]]);
    }
  });

  it('PULL-1 PUSH-1: malformed requests are 400 VALIDATION, never a crash', async () => {
    const server = await harness.start();
    const { api } = await server.signIn('editor');
    const cases: [string, unknown][] = [
      ['/v1/sync/dog/pull', { checkpoint: { sequence: 'x' }, limit: 10 }],
      ['/v1/sync/dog/pull', { checkpoint: null, limit: -1 }],
      ['/v1/sync/dog/pull', []],
      ['/v1/sync/dog/push', { rows: 'nope' }],
      ['/v1/sync/dog/push', { rows: [{ newDocumentState: { id: 5 } }] }],
      ['/v1/sync/dog/push', { rows: [{ assumedMasterState: null, newDocumentState: null }] }],
    ];
    for (const [route, body] of cases) {
      const response = await api.post(route, body);
      expect(response.status, `${route} ${JSON.stringify(body)}`).toBe(400);
      expect(response.body.error.code).toBe('VALIDATION');
    }
    const bad = await api.request('POST', '/v1/sync/dog/push', undefined, { raw: '{"rows": [' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toEqual({ code: 'VALIDATION', message: 'The request body is not valid JSON.' });
    expect((await new Api(server.url, api.token).get('/health')).status).toBe(200);
  });
});
