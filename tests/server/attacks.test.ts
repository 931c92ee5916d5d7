/**
 * Issue 12: what an outside attack and fault run broke on the sync server.
 * One test per point (ATTACK-1 … ATTACK-10), on SQLite and on PostgreSQL where
 * the point applies; each failed on the code before its fix.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ADAPTERS, Api, awayFromWindowEnd, login, PASSWORD, serverHarness, type TestServer } from './helpers';
import { runRetention } from '../../server';
import { eventually, type TestClient } from '../sync/harness';
import {
  connectWithoutTableRights,
  metricSum,
  openClientCore,
  pullPages,
  runCli,
  scrapeMetrics,
} from './attack-helpers-sync';
import { auditDoc, conflictDoc, create, dogDoc, edit, update } from './documents';
import { pushOne, refusedAt } from './attack-helpers-actors';
import { SseClient } from './sse-client';
import { getFrom, openIdle, slowHeaderParts, slowLoginParts, textFrom, trickle } from './attack-helpers-connections';
import { CAN_MOUNT_SMALL_DISK, counterIn, mountSmallDisk, type SmallDisk } from './attack-helpers-disk';
import { counterValue, pullWith, refusalShape, signInFrom } from './attack-helpers-limits';

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
    // A client core in its own process starts slowly on a busy machine.
  }, 120_000);
});

// <ATTACK-3: every actor field is bound to the pushing account>
describe.each(ADAPTERS)('ATTACK-3 on %s: actor fields', (adapter) => {
  const harness = serverHarness(adapter);

  it('ATTACK-3: created, deleted, detected by, names and erased users are bound to the pushing account', async () => {
    const server = await harness.start();
    const admin = await server.signIn('admin');
    const editor = await server.signIn('editor');
    const other = await server.signIn('editor');
    const otherDoc = dogDoc(other.actor);
    expect(await pushOne(other.api, 'dog', create(otherDoc))).toBe('written');

    // ACTOR-1: createdBy is the pusher on create, createdBy and createdAt never change.
    const asAdmin = dogDoc(editor.actor, { createdBy: admin.actor });
    expect(await pushOne(editor.api, 'dog', create(asAdmin))).toEqual(refusedAt('createdBy'));
    const stolen = edit(otherDoc, editor.actor, { createdBy: editor.actor });
    expect(await pushOne(editor.api, 'dog', update(otherDoc, stolen))).toEqual(refusedAt('createdBy'));
    const backdated = edit(otherDoc, editor.actor, { createdAt: '2001-01-01T00:00:00.000Z' });
    expect(await pushOne(editor.api, 'dog', update(otherDoc, backdated))).toEqual(refusedAt('createdAt'));
    // ACTOR-3: deletedBy is the pusher when deletedAt changes.
    const trashedAsAdmin = edit(otherDoc, editor.actor, {
      deletedAt: new Date().toISOString(),
      deletedBy: admin.actor,
    });
    expect(await pushOne(editor.api, 'dog', update(otherDoc, trashedAsAdmin))).toEqual(refusedAt('deletedBy'));
    // ACTOR-4: names come from the account.
    const disguised = { id: editor.user.id, name: admin.user.name };
    const named = dogDoc(disguised);
    expect(await pushOne(editor.api, 'dog', create(named))).toEqual(refusedAt('createdBy'));
    expect(await pushOne(editor.api, 'audit', create(auditDoc(disguised, named.id)))).toEqual(refusedAt('actor'));
    // ACTOR-2: conflict records and audit entries too.
    const framed = conflictDoc(admin.actor);
    expect(await pushOne(editor.api, 'conflicts', create(framed))).toEqual(refusedAt('detectedBy'));
    expect((await editor.api.pull('dog', null)).body.documents).toEqual([otherDoc]);

    // What clients do stays allowed: an edit keeps the creator, trash and restore by the pusher.
    const edited = edit(otherDoc, editor.actor, { breed: 'Corgi' });
    expect(await pushOne(editor.api, 'dog', update(otherDoc, edited))).toBe('written');
    const trashed = edit(edited, editor.actor, { deletedAt: new Date().toISOString(), deletedBy: editor.actor });
    expect(await pushOne(editor.api, 'dog', update(edited, trashed))).toBe('written');
    const restored = edit(trashed, editor.actor, { deletedAt: null, deletedBy: null });
    expect(await pushOne(editor.api, 'dog', update(trashed, restored))).toBe('written');
    // A renamed user: work typed under the old name still syncs, others' old names stay as they were.
    const renamed = await admin.api.request('PATCH', `/v1/admin/users/${editor.user.id}`, { name: 'Edith Renamed' });
    expect(renamed.status).toBe(200);
    expect(await pushOne(editor.api, 'dog', create(dogDoc(editor.actor)))).toBe('written');
    const current = { id: editor.user.id, name: 'Edith Renamed' };
    expect(await pushOne(editor.api, 'dog', create(dogDoc(current)))).toBe('written');

    // ACTOR-5: an erased user's name cannot be written back, in a field or in a snapshot.
    const erased = await admin.api.request('DELETE', `/v1/admin/users/${other.user.id}?confirm=${other.user.username}`);
    expect(erased.status).toBe(200);
    const [pseudonymized] = (await editor.api.pull('dog', null)).body.documents.filter(
      (doc: { id: string }) => doc.id === otherDoc.id,
    );
    expect(pseudonymized.createdBy).toEqual({ id: other.user.id, name: erased.body.pseudonym });
    const undone = edit(pseudonymized, current, { createdBy: other.actor });
    expect(await pushOne(editor.api, 'dog', update(pseudonymized, undone))).toEqual(refusedAt('createdBy'));
    const snapshot = conflictDoc(current, { local: { name: 'Rex', createdBy: other.actor } });
    expect(await pushOne(editor.api, 'conflicts', create(snapshot))).toEqual(refusedAt('local.createdBy'));
    const kept = edit(pseudonymized, current, { breed: 'Beagle' });
    expect(await pushOne(editor.api, 'dog', update(pseudonymized, kept))).toBe('written');
  });
});

// <ATTACK-4: a full log disk never stops serving>
describe('ATTACK-4: a full disk', () => {
  const harness = serverHarness('sqlite');
  const disks: SmallDisk[] = [];
  afterEach(() => {
    for (const disk of disks.splice(0)) disk.unmount();
  });
  const requests = async (server: TestServer, tag: string) => {
    for (let i = 0; i < 20; i++) expect((await server.api().get(`/health?${tag}=${i}`)).status).toBe(200);
    const bad = await server.api().post('/v1/auth/login', { username: 'nobody', password: 'not-the-password' });
    expect(bad.status).toBe(401);
  };
  const dropped = async (server: TestServer) =>
    counterIn((await server.api().get('/metrics')).text, 'curio_log_lines_dropped_total');

  it('ATTACK-4: log lines that cannot be written are dropped and counted; the server keeps answering', async () => {
    // /dev/full answers every write with ENOSPC, like a full disk.
    const server = await harness.start({ logLevel: 'info', logFile: '/dev/full' });
    await requests(server, 'first');
    const first = await dropped(server);
    expect(first).toBeGreaterThan(20);
    await requests(server, 'second');
    expect(await dropped(server)).toBeGreaterThan(first + 20);
  });

  it.skipIf(!CAN_MOUNT_SMALL_DISK)('ATTACK-4: logging resumes when the log disk has space again', async () => {
    const disk = mountSmallDisk(512);
    disks.push(disk);
    const logFile = path.join(disk.dir, 'server.log');
    const server = await harness.start({ logLevel: 'info', logFile });
    await requests(server, 'before');
    disk.fill();
    await requests(server, 'full');
    await eventually(async () => expect(await dropped(server)).toBeGreaterThan(20));
    disk.free();
    await requests(server, 'freed');
    await eventually(() => expect(readFileSync(logFile, 'utf8')).toContain('/health?freed=19'));
    // Every line is one JSON object, also around the lines the full disk cut short.
    for (const line of readFileSync(logFile, 'utf8').split('\n').filter(Boolean)) JSON.parse(line);
  });

  it('ATTACK-4: /health/ready answers 503 with the reason while the data disk is full, 200 once freed', async () => {
    if (!CAN_MOUNT_SMALL_DISK) {
      // No tmpfs here (not root): ask for more free space than any disk has.
      const server = await harness.start({ minFreeDiskBytes: Number.MAX_SAFE_INTEGER });
      const ready = await server.api().get('/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.body.error.message).toMatch(/data disk is full/);
      return;
    }
    const disk = mountSmallDisk(8 * 1024);
    disks.push(disk);
    const server = await harness.start({ dataDir: disk.dir, minFreeDiskBytes: 256 * 1024 });
    expect((await server.api().get('/health/ready')).status).toBe(200);
    disk.fill();
    const full = await server.api().get('/health/ready');
    expect(full.status).toBe(503);
    expect(full.body.error).toMatchObject({ code: 'INTERNAL', message: expect.stringMatching(/data disk is full/) });
    disk.free();
    expect((await server.api().get('/health/ready')).status).toBe(200);
  });
});

// <ATTACK-5: slow requests time out; streams capped per session>
describe('ATTACK-5: slow clients and connection floods', () => {
  const harness = serverHarness('sqlite');
  const quick = { headersTimeoutMs: 600, requestTimeoutMs: 1200, keepAliveTimeoutMs: 1000, idleTimeoutMs: 5000 };

  it('ATTACK-5: a request trickling its headers or body is answered 408 and closed', async () => {
    const server = await harness.start({ connections: quick });
    // 100 ms a byte: the body alone would take about 7 s, far past the 1.2 s request timeout.
    const body = await trickle(server.port, slowLoginParts(), 100);
    expect(body.closedEarly).toBe(true);
    expect(body.received).toMatch(/^HTTP\/1\.1 408 /);
    const headers = await trickle(server.port, slowHeaderParts(), 100);
    expect(headers.closedEarly).toBe(true);
    expect(headers.received).toMatch(/^HTTP\/1\.1 408 /);
    // The server still answers everyone else.
    expect((await server.api().get('/health')).status).toBe(200);
  });

  it('ATTACK-5: connections beyond the cap from one address are closed; other addresses still get in', async () => {
    const server = await harness.start({ connections: { maxConnectionsPerAddress: 3 } });
    const held = await Promise.all([1, 2, 3].map(() => openIdle(server.port, '127.0.0.1')));
    try {
      expect(await getFrom(server.port, '/health', '127.0.0.1')).toBe('closed');
      expect(await getFrom(server.port, '/health', '127.0.0.2')).toBe(200);
      held.pop()!.destroy();
      await eventually(async () => expect(await getFrom(server.port, '/health', '127.0.0.1')).toBe(200));
      const metrics = await textFrom(server.port, '/metrics', '127.0.0.3');
      expect(metrics).toMatch(/^curio_connections_refused_total [1-9]/m);
    } finally {
      for (const socket of held) socket.destroy();
    }
  });

  it('ATTACK-5: a session holds a few streams at most; one more closes its oldest', async () => {
    const server = await harness.start({ maxStreamsPerSession: 2 });
    const viewer = await server.signIn('viewer');
    const editor = await server.signIn('editor');
    const streams: SseClient[] = [];
    try {
      for (let i = 0; i < 3; i++) streams.push(await SseClient.connect(server.url, viewer.accessToken));
      const other = await SseClient.connect(server.url, (await login(server.url, viewer.user.username)).accessToken);
      streams.push(other);
      await streams[0]!.waitForEnd();
      await editor.api.push('dog', [create(dogDoc(editor.actor))]);
      for (const stream of [streams[1]!, streams[2]!, other]) {
        await stream.waitFor((event) => event.event === 'change');
      }
    } finally {
      for (const stream of streams) stream.close();
    }
  });
});

// <ATTACK-6: lockout per account and address, no user directory>
describe.each(ADAPTERS)('ATTACK-6: sign-in waits per user name and address on %s', (adapter) => {
  const harness = serverHarness(adapter);

  it('ATTACK-6: a known and an unknown name answer alike while waiting, and the owner signs in from elsewhere', async () => {
    const server = await harness.start({ trustProxy: true, loginBackoff: { freeFailures: 3, firstDelaySeconds: 30 } });
    await server.createUser({ username: 'root', name: 'Root', password: PASSWORD, role: 'admin' });
    const attacker = '203.0.113.7';
    const answers: Record<'root' | 'ghost', Awaited<ReturnType<typeof signInFrom>>[]> = { root: [], ghost: [] };
    // Three wrong passwords, then two tries while waiting (the last one with root's real password).
    for (const password of ['wrong-1-xyz', 'wrong-2-xyz', 'wrong-3-xyz', 'wrong-4-xyz', PASSWORD]) {
      for (const name of ['root', 'ghost'] as const)
        answers[name].push(await signInFrom(server.url, attacker, name, password));
    }
    expect(answers.root.map(refusalShape)).toEqual(answers.ghost.map(refusalShape));
    expect(answers.root.map((answer) => answer.status)).toEqual([401, 401, 401, 429, 429]);
    expect(answers.root[2]!.headers.get('retry-after')).toBe('30');
    expect(answers.root[4]!.body.error).toMatchObject({
      code: 'RATE_LIMITED',
      message: expect.stringMatching(/^Wrong user name or password, or too many attempts: try again in \d+ s\.$/),
    });
    expect(Number(answers.root[4]!.headers.get('retry-after'))).toBeGreaterThan(0);

    // The attacker's address waits; the owner elsewhere does not, and their success does not lift the attacker's wait.
    expect((await signInFrom(server.url, '198.51.100.20', 'root', PASSWORD)).status).toBe(200);
    expect((await signInFrom(server.url, attacker, 'root', PASSWORD)).status).toBe(429);
  });

  it('ATTACK-6: each failure past the free ones doubles the wait', async () => {
    const server = await harness.start({ trustProxy: true, loginBackoff: { freeFailures: 1, firstDelaySeconds: 1 } });
    await server.createUser({ username: 'root', name: 'Root', password: PASSWORD, role: 'admin' });
    const first = await signInFrom(server.url, '203.0.113.8', 'root', 'wrong-1-xyz');
    expect(first.headers.get('retry-after')).toBe('1');
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const second = await signInFrom(server.url, '203.0.113.8', 'root', 'wrong-2-xyz');
    expect([second.status, second.headers.get('retry-after')]).toEqual([401, '2']);
  });

  it('ATTACK-6: hopping addresses inside one IPv6 /64 does not escape a wait', async () => {
    const server = await harness.start({ trustProxy: true, loginBackoff: { freeFailures: 1, firstDelaySeconds: 60 } });
    expect((await signInFrom(server.url, '2001:db8:1:2::1', 'root', 'wrong-1-xyz')).status).toBe(401);
    expect((await signInFrom(server.url, '2001:db8:1:2:ffff::9', 'root', 'wrong-2-xyz')).status).toBe(429);
    expect((await signInFrom(server.url, '2001:db8:1:3::1', 'root', 'wrong-3-xyz')).status).toBe(401);
  });
});

// <ATTACK-7: weak passwords refused by a strength estimator>
describe('ATTACK-7: weak passwords', () => {
  const harness = serverHarness('sqlite');

  it('ATTACK-7: blank, repeated, name-derived, emoji-only and symbol-only passwords are refused with advice', async () => {
    const server = await harness.start();
    const admin = await server.signIn('admin');
    const addBob = (password: string) =>
      admin.api.post('/v1/admin/users', { username: 'bob9', name: 'Quixote Zanzibar', password, role: 'editor' });
    const weak: [string, RegExp][] = [
      [' '.repeat(10), /blank or only spaces/],
      ['aaaaaaaaaa', /too easy to guess\. Repeated characters.*Avoid repeated words/],
      ['bob91234567', /too easy to guess\. .*Add more words/],
      ['😀'.repeat(10), /too easy to guess\. .*Avoid repeated words/],
      // Ten different emoji, and symbols alone, score high with zxcvbn (each emoji counts as two random characters).
      ['😀😃😄😁😆😅😂🤣🥲🥹', /too easy to guess\. Emoji and symbols alone .*add a few uncommon words/],
      ['♠♣♥♦★☆☀☁☂☃', /too easy to guess\. Emoji and symbols alone .*add a few uncommon words/],
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
describe.each(ADAPTERS)('ATTACK-8 on %s: bad input', (adapter) => {
  const harness = serverHarness(adapter);

  it('ATTACK-8: deep nesting, NUL, lone surrogates, __proto__, long addresses and headers are 4xx in the error shape; refusals stay small', async () => {
    const server = await harness.start();
    const admin = await server.signIn('admin');
    const anonymous = server.api();
    const refused = (response: { status: number; body: unknown }, status: number, message: RegExp) => {
      expect(response.status).toBe(status);
      expect(response.body).toEqual({
        error: expect.objectContaining({ code: 'VALIDATION', message: expect.stringMatching(message) }),
      });
    };

    // PROTO-5: nesting is limited at parse.
    const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    const deepRow = `{"rows":[{"assumedMasterState":null,"newDocumentState":{"id":"a","rev":"b","x":${deep}}}]}`;
    refused(await admin.api.request('POST', '/v1/sync/dog/push', undefined, { raw: deepRow }), 400, /deeper than/);
    // PROTO-5: text that a column cannot keep as sent, on both adapters alike.
    const nul = '\u0000';
    refused(await anonymous.post('/v1/auth/login', { username: `ad${nul}min`, password: PASSWORD }), 400, /NUL/);
    const device = { username: admin.user.username, password: PASSWORD, device: `laptop${nul}` };
    refused(await anonymous.post('/v1/auth/login', device), 400, /NUL/);
    const nulConflict = conflictDoc(admin.actor);
    nulConflict.id = `${nulConflict.entityId}:a${nul}:b`;
    refused(await admin.api.push('conflicts', [create(nulConflict)]), 400, /NUL/);
    refused(await admin.api.request('PATCH', '/v1/admin/users/a%00b', { name: 'X' }), 400, /NUL/);
    const user = { username: 'eve', name: `Eve${nul}`, password: 'violet-harbor-tundra-81', role: 'editor' };
    refused(await admin.api.post('/v1/admin/users', user), 400, /NUL/);
    const surrogate = conflictDoc(admin.actor);
    surrogate.id = `${surrogate.entityId}:\ud800:b`;
    refused(await admin.api.push('conflicts', [create(surrogate)]), 400, /well-formed/);
    refused(await admin.api.post('/v1/admin/users', { ...user, name: 'Eve \udc00' }), 400, /well-formed/);
    expect((await admin.api.pull('conflicts', null)).body.documents).toEqual([]);
    // PROTO-2: every error in the protocol's shape, from the router and from Node's parser too.
    refused(await admin.api.get(`/v1/admin/users/${'a'.repeat(300)}/export`), 414, /longer than/);
    refused(await admin.api.get(`/v1/admin/users?x=${'a'.repeat(20_000)}`), 431, /larger than/);
    const bigHeader = { headers: { 'x-padding': 'a'.repeat(20_000) } };
    refused(await admin.api.request('GET', '/v1/admin/users', undefined, bigHeader), 431, /larger than/);
    // PROTO-5: a `__proto__` key is refused for what it is, not as bad JSON.
    const proto = '{"rows":[],"__proto__":{"polluted":true}}';
    refused(await admin.api.request('POST', '/v1/sync/dog/push', undefined, { raw: proto }), 400, /__proto__/);
    // PUSH-1: a refusal names the fields, never echoes the document.
    const huge = dogDoc(admin.actor, { [`k${'e'.repeat(100_000)}`]: 'v'.repeat(5_000_000) });
    const answer = await admin.api.push('dog', [create(huge)]);
    expect(answer.status).toBe(200);
    expect(answer.body.refused).toEqual([
      {
        id: huge.id,
        code: 'VALIDATION',
        reason: expect.stringMatching(/^This dog is not valid/),
        fields: [expect.any(String)],
      },
    ]);
    expect(answer.text.length).toBeLessThan(2_000);
  });
});

// <ATTACK-9: limits shared between server processes, per-session API limits>
describe.each(ADAPTERS)('ATTACK-9: per-session request limit on %s', (adapter) => {
  const harness = serverHarness(adapter);

  it('ATTACK-9: a flood from one session gets 429 with Retry-After while another session goes on', async () => {
    const server = await harness.start({ sessionRateLimit: { max: 20, windowSeconds: 3600 } });
    await awayFromWindowEnd(3600);
    const flooder = await server.signIn('viewer');
    const neighbour = await server.signIn('viewer');
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 25; i += 1) {
      last = await flooder.api.pull('dog', null, 10);
      statuses.push(last.status);
    }
    expect(statuses).toEqual([...Array<number>(20).fill(200), ...Array<number>(5).fill(429)]);
    expect(last!.body).toEqual({ error: { code: 'RATE_LIMITED', message: expect.stringMatching(/this session/) } });
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await neighbour.api.pull('dog', null, 10)).status).toBe(200);
    expect(await counterValue(server.url, 'curio_requests_refused_total{limit="session"}')).toBe(5);
  });
});

describe('ATTACK-9: limits shared by two server processes on one PostgreSQL', () => {
  const harness = serverHarness('postgres');

  it('ATTACK-9: sign-in attempts, sign-in waits and session requests count once across both servers', async () => {
    const storage = await harness.storage();
    const options = {
      trustProxy: true,
      loginRateLimit: { max: 4, windowSeconds: 3600 },
      loginBackoff: { freeFailures: 2, firstDelaySeconds: 60 },
      sessionRateLimit: { max: 10, windowSeconds: 3600 },
    };
    const a = await harness.start(options, storage);
    const b = await harness.start(options, storage);
    await awayFromWindowEnd(3600);

    // Sign-in attempts per address: two on each server, then both refuse.
    const flood = [];
    for (const [i, server] of [a, b, a, b, a, b].entries()) {
      flood.push(await signInFrom(server.url, '203.0.113.1', `nobody${i}`, 'wrong-xyz'));
    }
    expect(flood.map((answer) => answer.status)).toEqual([401, 401, 401, 401, 429, 429]);

    // Sign-in waits per (name, address): a failure on each server, then the wait holds on both.
    await a.createUser({ username: 'root', name: 'Root', password: PASSWORD, role: 'admin' });
    const guesses = [];
    for (const server of [a, b, a, b]) guesses.push(await signInFrom(server.url, '203.0.113.2', 'root', 'guess-xyz'));
    expect(guesses.map((answer) => answer.status)).toEqual([401, 401, 429, 429]);

    // Requests per session: the token works on both servers, and the count is one.
    await a.createUser({ username: 'vera', name: 'Vera', password: PASSWORD, role: 'viewer' });
    const viewer = await login(a.url, 'vera');
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      for (const server of [a, b]) statuses.push((await pullWith(server.url, viewer.accessToken)).status);
    }
    expect(statuses).toEqual([...Array<number>(10).fill(200), 429, 429]);
  });
});

// <ATTACK-10: retention, latency histograms, restore>
describe.each(ADAPTERS)('ATTACK-10 on %s: retention, latency histograms', (adapter) => {
  const harness = serverHarness(adapter);
  const clients: TestClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.dispose()));
  });
  const yearsAgo = new Date(Date.now() - 2 * 365 * 86_400_000).toISOString();

  it('ATTACK-10: expired sessions, old server audit and old tombstones go; a stale checkpoint must re-read', async () => {
    const storage = await harness.storage();
    const retention = { serverAuditDays: 30, tombstoneDays: 0 };
    const first = await harness.start({ retention }, storage);
    const admin = await first.signIn('admin');
    const gone = await first.signIn('editor');
    const [kept, deleted] = [dogDoc(admin.actor), dogDoc(admin.actor)];
    await admin.api.push('dog', [create(kept), create(deleted)]);
    const staleCheckpoint = (await admin.api.pull('dog', null)).body.checkpoint.sequence;
    const tombstone = edit(deleted, admin.actor, { _deleted: true });
    expect((await admin.api.push('dog', [update(deleted, tombstone)])).body).toEqual({ conflicts: [], refused: [] });
    expect((await admin.api.post(`/v1/admin/users/${gone.user.id}/setup-code`, {})).status).toBe(200);
    expect((await admin.api.request('DELETE', `/v1/admin/users/${gone.user.id}/setup-code`)).body).toEqual({
      revoked: true,
    });
    const { sql } = first.store;
    // Time passes: the editor's session expires, one sign-in entry of the server audit gets old, and so does
    // the reset code the admin withdrew (RETAIN-4, kept 30 days by default).
    await sql.run('UPDATE sessions SET expires_at = ? WHERE user_id = ?', [yearsAgo, gone.user.id]);
    await sql.run('UPDATE setup_codes SET created_at = ?, expires_at = ?, revoked_at = ? WHERE user_id = ?', [
      yearsAgo,
      yearsAgo,
      yearsAgo,
      gone.user.id,
    ]);
    const oldEntry = (await sql.get<{ id: string }>('SELECT id FROM server_audit ORDER BY at LIMIT 1'))!;
    await sql.run('UPDATE server_audit SET at = ? WHERE id = ?', [yearsAgo, oldEntry.id]);
    const auditBefore = (await sql.all('SELECT id FROM server_audit')).length;
    await first.close();

    // Retention runs when a server starts (and then every interval).
    const server = await harness.start({ retention }, storage);
    await eventually(async () => {
      const metrics = await scrapeMetrics(server.url);
      expect(metricSum(metrics, 'curio_retention_deleted_total')).toBeGreaterThanOrEqual(5);
      expect(metrics).toMatch(/^curio_retention_deleted_total\{kind="setupCodes"\} 1$/m);
    });
    const db = server.store.sql;
    expect(await db.all('SELECT id FROM sessions WHERE user_id = ?', [gone.user.id])).toEqual([]);
    expect(await db.all('SELECT hash FROM refresh_tokens WHERE session_id NOT IN (SELECT id FROM sessions)')).toEqual(
      [],
    );
    expect(await db.all('SELECT id FROM server_audit WHERE id = ?', [oldEntry.id])).toEqual([]);
    expect((await db.all('SELECT id FROM server_audit')).length).toBe(auditBefore - 1);
    expect(await db.all('SELECT hash FROM setup_codes')).toEqual([]);
    // Only the session went: the account signs in again.
    expect((await login(server.url, gone.user.username)).user.id).toBe(gone.user.id);

    // PULL-7: the tombstone is gone; a checkpoint from before it is told to read again from the start.
    const api = (await login(server.url, admin.user.username)).api;
    const fresh = await api.pull('dog', null);
    expect(fresh.body.documents).toEqual([kept]);
    // Having read to the end, a device's checkpoint is past the compacted gap: it is never sent back.
    expect((await api.pull('dog', fresh.body.checkpoint.sequence)).status).toBe(200);
    const stale = await api.pull('dog', staleCheckpoint);
    expect(stale.status).toBe(410);
    expect(stale.body.error.code).toBe('RESYNC_REQUIRED');
    expect((await api.pull('dog', staleCheckpoint + 1)).status).toBe(200);

    // OPS-3: request latency as a Prometheus histogram per route.
    const metrics = await scrapeMetrics(server.url);
    expect(metrics).toMatch(/^# TYPE curio_http_request_duration_seconds histogram$/m);
    expect(metrics).toMatch(
      /^curio_http_request_duration_seconds_bucket\{le="0\.1",method="POST",route="\/v1\/sync\/:collection\/pull",status="200"\} \d+$/m,
    );
    expect(metrics).toMatch(
      /^curio_http_requests_total\{method="POST",route="\/v1\/sync\/:collection\/pull",status="410"\} 1$/m,
    );
  }, 60_000);

  it('ATTACK-10: a client offline past the tombstone horizon re-reads and drops what was deleted meanwhile', async () => {
    const server = await harness.start({ retention: { tombstoneDays: 0 } });
    const admin = await server.signIn('admin');
    const viewer = await server.signIn('viewer');
    const [kept, deleted] = [dogDoc(admin.actor, { name: 'Kept' }), dogDoc(admin.actor, { name: 'Deleted' })];
    await admin.api.push('dog', [create(kept), create(deleted)]);
    const client = await openClientCore(server.url, viewer.user.username);
    clients.push(client);
    const dogs = async () => Object.keys((await client.snapshot()).dog ?? {}).sort();
    await eventually(async () => expect(await dogs()).toEqual([kept.id, deleted.id].sort()));

    await client.proxy.setOnline(false);
    const added = dogDoc(admin.actor, { name: 'Added' });
    await admin.api.push('dog', [update(deleted, edit(deleted, admin.actor, { _deleted: true })), create(added)]);
    const settings = { serverAuditDays: 365, tombstoneDays: 0, spentSetupCodeDays: 30 };
    expect((await runRetention(server.store, settings)).tombstones).toBe(1);
    await client.proxy.setOnline(true);

    await eventually(async () => expect(await dogs()).toEqual([kept.id, added.id].sort()));
  }, 120_000);

  it('ATTACK-10 RETAIN-4: setup codes spent past the grace period go; live and lately spent ones stay', async () => {
    // The server's own runs keep every code here; the run below is the one that counts.
    const server = await harness.start({ retention: { spentSetupCodeDays: 3650 } });
    const admin = await server.signIn('admin');
    const daysFromNow = (days: number | null) =>
      days === null ? null : new Date(Date.now() + days * 86_400_000).toISOString();
    // Per invited user: when the code was issued, expires, was used and was withdrawn, in days from now.
    const cases = {
      used: [-41, 49, -40, null],
      withdrawn: [-100, -10, null, -35],
      expired: [-47, -40, null, null],
      live: [0, 7, null, null],
      'lately-expired': [-12, -5, null, null],
      'lately-withdrawn': [-5, 2, null, -3],
    } as const;
    const codes: Record<string, { id: string; code: string }> = {};
    for (const [username, times] of Object.entries(cases)) {
      const invited = await admin.api.post('/v1/admin/users', { username, name: username, role: 'viewer' });
      codes[username] = { id: invited.body.user.id, code: invited.body.setupCode.code };
      await server.store.sql.run(
        'UPDATE setup_codes SET created_at = ?, expires_at = ?, used_at = ?, revoked_at = ? WHERE user_id = ?',
        [...times.map(daysFromNow), invited.body.user.id],
      );
    }

    const settings = { serverAuditDays: 365, tombstoneDays: 90, spentSetupCodeDays: 30 };
    expect(await runRetention(server.store, settings)).toMatchObject({ setupCodes: 3 });
    const kept = await server.store.sql.all<{ user_id: string }>('SELECT user_id FROM setup_codes');
    expect(kept.map((row) => row.user_id).sort()).toEqual(
      ['live', 'lately-expired', 'lately-withdrawn'].map((username) => codes[username]!.id).sort(),
    );
    expect((await runRetention(server.store, settings)).setupCodes).toBe(0);

    // Within the grace period the user is still told why the code no longer works; after it, it is just wrong.
    const setup = (username: string) =>
      new Api(server.url).post('/v1/auth/setup', {
        username,
        code: codes[username]!.code,
        password: 'velvet-harbor-lantern-93',
        device: 'laptop',
      });
    expect((await setup('lately-expired')).body.error.message).toMatch(
      /^This setup code expired on \d{4}-\d{2}-\d{2}\./,
    );
    expect((await setup('lately-withdrawn')).body.error.message).toMatch(/withdrawn by an admin/);
    const forgotten = await setup('expired');
    expect(forgotten.status).toBe(401);
    expect(forgotten.body.error.message).toBe('Wrong user name or setup code.');
    expect((await setup('live')).status).toBe(200);
  });
});

describe('ATTACK-10: restore (SQLite)', () => {
  const harness = serverHarness('sqlite');

  it('ATTACK-10: restore FILE brings a backup back, keeps the replaced database, and refuses under a running server', async () => {
    const storage = await harness.storage();
    const backup = path.join(storage.dataDir, 'backup.db');
    const server = await harness.start({}, storage);
    const admin = await server.signIn('admin');
    const before = dogDoc(admin.actor, { name: 'Before backup' });
    await admin.api.push('dog', [create(before)]);
    await server.store.backup(backup);
    await admin.api.push('dog', [create(dogDoc(admin.actor, { name: 'After backup' }))]);
    const deviceCheckpoint = (await admin.api.pull('dog', null)).body.checkpoint.sequence;

    const refused = await runCli('restore', backup, '--data-dir', storage.dataDir);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/is running on .*; stop it, then restore/);
    await server.close();

    const notABackup = await runCli(
      'restore',
      path.join(storage.dataDir, 'server.pid.none'),
      '--data-dir',
      storage.dataDir,
    );
    expect(notABackup.code).not.toBe(0);
    const restored = await runCli('restore', backup, '--data-dir', storage.dataDir);
    expect(restored.stderr).toBe('');
    expect(restored.code).toBe(0);
    const keptFile = /kept as (\S+)\.$/m.exec(restored.stdout)?.[1];
    expect(keptFile && existsSync(keptFile)).toBe(true);

    const again = await harness.start({}, storage);
    const api = (await login(again.url, admin.user.username)).api;
    const reread = await api.pull('dog', null);
    expect(reread.body.documents).toEqual([before]);
    // A device that synced before the restore must read everything again, or it would keep "After backup".
    expect((await api.pull('dog', deviceCheckpoint)).body.error.code).toBe('RESYNC_REQUIRED');
    expect((await api.pull('dog', reread.body.checkpoint.sequence)).status).toBe(200);
    const postgres = await runCli('restore', backup, '--database-url', 'postgres://nobody@127.0.0.1:1/none');
    expect(postgres.stderr).toMatch(/pg_restore/);
  }, 120_000);
});
