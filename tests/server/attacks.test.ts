/**
 * Issue 12: what an outside attack and fault run broke on the sync server.
 * One test per point (ATTACK-1 … ATTACK-10), on SQLite and on PostgreSQL where
 * the point applies; each failed on the code before its fix.
 */
import { eventually, type TestClient } from '../sync/harness';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { ADAPTERS, login, PASSWORD, serverHarness } from './helpers';
import { connectWithoutTableRights, metricSum, openClientCore, pullPages, scrapeMetrics } from './attack-helpers-sync';
import { auditDoc, conflictDoc, create, dogDoc } from './documents';
import { SseClient } from './sse-client';

// <ATTACK-1: forged or malformed PostgreSQL notifications>
describe('ATTACK-1: PostgreSQL notifications are hints, never trusted', () => {
  const harness = serverHarness('postgres');

  it('ATTACK-1: garbage and forged NOTIFYs from a login without table rights are ignored and counted', async () => {
    const storage = await harness.storage();
    const a = await harness.start({}, storage);
    const b = await harness.start({}, storage);
    const editor = await a.signIn('editor');
    const first = dogDoc(editor.actor);
    expect((await editor.api.push('dog', [create(first)])).status).toBe(200);
    const onB = await login(b.url, editor.user.username);
    const stream = await SseClient.connect(b.url, onB.accessToken);
    const ignoredBefore = metricSum(await scrapeMetrics(b.url), 'curio_sync_notifications_ignored_total');

    const intruder = await connectWithoutTableRights(storage.databaseUrl!);
    const garbage = [
      'null',
      'not json',
      '',
      '[]',
      '"dog"',
      '{}',
      '{"origin":1,"collection":"dog"}',
      '{"origin":"x","collection":"nope"}',
    ];
    // Well-formed, claiming a huge range from another process: must not make anyone resend the collection.
    const forged = [
      JSON.stringify({ origin: 'x', collection: 'dog', from: 0, to: 1e9 }),
      JSON.stringify({ origin: 'y', collection: 'audit' }),
    ];
    try {
      for (const payload of [...garbage, ...forged])
        await intruder.query("SELECT pg_notify('curio_changes', $1)", [payload]);
    } finally {
      await intruder.end();
    }

    // Notifications arrive in order: once the next real push reaches b's stream, every forged one was handled.
    const second = dogDoc(editor.actor);
    await editor.api.push('dog', [create(second)]);
    const change = await stream.waitFor((event) => event.event === 'change');
    stream.close();
    expect(change.data).toEqual({ collection: 'dog', documents: [second], checkpoint: { sequence: 2 } });
    expect(stream.events.filter((event) => event.event === 'change')).toHaveLength(1);

    for (const server of [a, b]) {
      expect((await fetch(`${server.url}/health`)).status).toBe(200);
      expect((await onB.api.pull('dog', null)).body.documents).toEqual([first, second]);
    }
    const ignoredAfter = metricSum(await scrapeMetrics(b.url), 'curio_sync_notifications_ignored_total');
    expect(ignoredAfter - ignoredBefore).toBe(garbage.length);
  });
});

// <ATTACK-2: pull pages capped by bytes; documents have a maximum size>
describe.each(ADAPTERS)('ATTACK-2 on %s: pull pages capped by bytes', (adapter) => {
  const harness = serverHarness(adapter);
  const clients: TestClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.dispose()));
  });

  it('ATTACK-2: large documents come in byte-capped pages a client can finish; oversized ones are refused', async () => {
    const pageBytes = 64 * 1024;
    const server = await harness.start({ pullPageBytes: pageBytes });
    const editor = await server.signIn('editor');
    const entry = (size: number) =>
      auditDoc(editor.actor, randomUUID(), { changes: [{ field: 'bio', from: null, to: 'x'.repeat(size) }] });
    // Twelve entries of 30 kB, one larger than a whole page, three more.
    const entries = [...Array.from({ length: 12 }, () => entry(30_000)), entry(100_000), entry(30_000), entry(30_000)];
    expect((await editor.api.push('audit', entries.map(create))).body.refused).toEqual([]);

    const pages = await pullPages(editor.api, 'audit');
    expect(pages.flatMap((page) => page.documents.map((document) => document.id))).toEqual(entries.map((e) => e.id));
    for (const page of pages) {
      const bytes = page.documents.reduce((sum, document) => sum + JSON.stringify(document).length, 0);
      if (page.documents.length > 1) expect(bytes).toBeLessThanOrEqual(pageBytes);
    }
    expect(pages[0]!.documents.length).toBeLessThan(entries.length);
    expect(pages[0]!.hasMore).toBe(true);
    expect(pages.at(-1)!.hasMore).toBe(false);
    expect(
      pages.some((page) => page.documents.length === 1 && JSON.stringify(page.documents[0]).length > pageBytes),
    ).toBe(true);

    // PUSH-8: an audit entry above 2.5 MiB and a conflict record above 6.5 MiB are refused, saying why.
    const hugeEntry = entry(2.6 * 1024 * 1024);
    const hugeConflict = conflictDoc(editor.actor, { local: { name: 'y'.repeat(7 * 1024 * 1024) } });
    const refusedEntry = await editor.api.push('audit', [create(hugeEntry)]);
    expect(refusedEntry.body.refused).toEqual([
      expect.objectContaining({
        id: hugeEntry.id,
        code: 'VALIDATION',
        reason: expect.stringMatching(/at most 2\.5 MB/),
      }),
    ]);
    const refusedConflict = await editor.api.push('conflicts', [create(hugeConflict)]);
    expect(refusedConflict.body.refused).toEqual([
      expect.objectContaining({
        id: hugeConflict.id,
        code: 'VALIDATION',
        reason: expect.stringMatching(/at most 6\.5 MB/),
      }),
    ]);
    expect((await editor.api.pull('conflicts', null)).body.documents).toEqual([]);

    // A real client core pulls at its page size of 1000 and ends up with every entry.
    const viewer = await server.signIn('viewer');
    const client = await openClientCore(server.url, viewer.user.username);
    clients.push(client);
    await eventually(async () => {
      await client.request({ op: 'awaitInSync' });
      expect(Object.keys((await client.snapshot()).audit ?? {}).sort()).toEqual(entries.map((e) => e.id).sort());
    });
  });
});

// <ATTACK-3: every actor field is bound to the pushing account>

// <ATTACK-4: a full log disk never stops serving>

// <ATTACK-5: slow requests time out; streams capped per session>

// <ATTACK-6: lockout per account and address, no user directory>

// <ATTACK-7: weak passwords refused by a strength estimator>
describe('ATTACK-7: weak passwords', () => {
  const harness = serverHarness('sqlite');

  it('ATTACK-7: blank, repeated, name-derived and repeated-emoji passwords are refused with advice', async () => {
    const server = await harness.start();
    const admin = await server.signIn('admin');
    const addBob = (password: string) =>
      admin.api.post('/v1/admin/users', { username: 'bob9', name: 'Quixote Zanzibar', password, role: 'editor' });
    const weak: [string, RegExp][] = [
      [' '.repeat(10), /blank or only spaces/],
      ['aaaaaaaaaa', /too easy to guess\. Repeated characters.*Avoid repeated words/],
      ['bob91234567', /too easy to guess\. .*Add more words/],
      ['😀'.repeat(10), /too easy to guess\. .*Avoid repeated words/],
      ['Quixote Zanzibar', /too easy to guess\. It contains the user name or display name/],
    ];
    for (const [password, reason] of weak) {
      const response = await addBob(password);
      expect(response.status, password).toBe(400);
      expect(response.body.error.code).toBe('VALIDATION');
      expect(response.body.error.message, password).toMatch(reason);
      expect(response.body.error.fieldErrors).toEqual([{ field: 'password', message: response.body.error.message }]);
    }
    // The display name is context: the same words are a fine password for somebody else.
    const zed = await admin.api.post('/v1/admin/users', {
      username: 'zed',
      name: 'Zed',
      password: 'Quixote Zanzibar',
      role: 'editor',
    });
    expect(zed.status).toBe(201);
    const bob = await addBob(PASSWORD);
    expect(bob.status).toBe(201);
    const change = await admin.api.request('PATCH', `/v1/admin/users/${bob.body.user.id}`, {
      password: 'bob9bob9bob9',
    });
    expect(change.status).toBe(400);
    expect(change.body.error.message).toMatch(/too easy to guess/);
    await login(server.url, 'bob9');
  });
});

// <ATTACK-8: bad input answered in the protocol shape, never 500>

// <ATTACK-9: limits shared between server processes, per-session API limits>

// <ATTACK-10: retention, latency histograms, restore>
