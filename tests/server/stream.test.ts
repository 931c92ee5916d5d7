import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { create, dogDoc } from './documents';
import { ADAPTERS, login, serverHarness } from './helpers';
import { SseClient } from './sse-client';

describe.each(ADAPTERS)('live stream on %s', (adapter) => {
  const harness = serverHarness(adapter);
  const streams: SseClient[] = [];
  afterEach(() => {
    for (const stream of streams.splice(0)) stream.close();
  });
  const open = async (url: string, token: string) => {
    const stream = await SseClient.connect(url, token);
    streams.push(stream);
    return stream;
  };

  it('STREAM-1 STREAM-2: a push reaches stream clients with documents and checkpoint', async () => {
    const server = await harness.start();
    const editor = await server.signIn('editor');
    const viewer = await server.signIn('viewer');
    const stream = await open(server.url, viewer.accessToken);
    expect(stream.status).toBe(200);
    expect(stream.events[0]).toEqual({
      event: 'ready',
      data: { heartbeatMs: expect.any(Number), user: expect.objectContaining({ id: viewer.user.id, role: 'viewer' }) },
    });
    const docs = [dogDoc(editor.actor), dogDoc(editor.actor)];
    await editor.api.push('dog', docs.map(create));
    const change = await stream.waitFor((e) => e.event === 'change');
    const pulled = await viewer.api.pull('dog', null);
    expect(change.data).toEqual({ collection: 'dog', documents: docs, checkpoint: pulled.body.checkpoint });
  });

  it('STREAM-1: a stream needs a valid token', async () => {
    const server = await harness.start();
    const stream = await open(server.url, 'not-a-token');
    expect(stream.status).toBe(401);
  });

  it('STREAM-3: heartbeats arrive at the configured interval', async () => {
    const server = await harness.start({ heartbeatMs: 100 });
    const viewer = await server.signIn('viewer');
    const stream = await open(server.url, viewer.accessToken);
    const beat = await stream.waitFor((e) => e.event === 'heartbeat');
    expect(beat.data).toEqual({ at: expect.any(String) });
  });

  it('STREAM-4: revoking the session ends its stream', async () => {
    const server = await harness.start({ heartbeatMs: 100 });
    const viewer = await server.signIn('viewer');
    const admin = await server.signIn('admin');
    const stream = await open(server.url, viewer.accessToken);
    const sessions = (await admin.api.get('/v1/admin/sessions')).body.sessions as { id: string; userId: string }[];
    const session = sessions.find((s) => s.userId === viewer.user.id)!;
    expect((await admin.api.request('DELETE', `/v1/admin/sessions/${session.id}`)).status).toBe(204);
    await stream.waitForEnd();
    expect(stream.ended).toBe(true);
  });

  it("STREAM-6: a changed role reaches the user's open stream at once, with the user as they are now", async () => {
    const server = await harness.start({ heartbeatMs: 60_000 });
    const editor = await server.signIn('editor');
    const admin = await server.signIn('admin');
    const stream = await open(server.url, editor.accessToken);
    const patched = await admin.api.request('PATCH', `/v1/admin/users/${editor.user.id}`, { role: 'viewer' });
    expect(patched.status).toBe(200);
    const event = await stream.waitFor((e) => e.event === 'user', 5000);
    expect(event.data).toEqual({ user: expect.objectContaining({ id: editor.user.id, role: 'viewer' }) });
  });

  it('STREAM-4: the stream ends when its access token expires', async () => {
    const server = await harness.start({ accessTokenTtlSeconds: 1 });
    const viewer = await server.signIn('viewer');
    const stream = await open(server.url, viewer.accessToken);
    await stream.waitForEnd(5000);
    expect(stream.ended).toBe(true);
  });

  if (adapter === 'postgres') {
    it('STREAM-5: a push to one server reaches a stream client of another on the same database', async () => {
      const storage = await harness.storage();
      const a = await harness.start({}, storage);
      const b = await harness.start({}, storage);
      const editor = await a.signIn('editor');
      const onB = await login(b.url, editor.user.username);
      const stream = await open(b.url, onB.accessToken);
      const doc = dogDoc(editor.actor);
      await editor.api.push('dog', [create(doc)]);
      const change = await stream.waitFor((e) => e.event === 'change');
      expect(change.data).toEqual({ collection: 'dog', documents: [doc], checkpoint: { sequence: 1 } });
    });

    it('STREAM-5: two server processes on one PostgreSQL: a push to one reaches a stream client of the other', async () => {
      const storage = await harness.storage();
      const a = await harness.start({}, storage);
      const editor = await a.signIn('editor');
      const other = await startServerProcess(storage.databaseUrl!, storage.dataDir);
      try {
        const onOther = await login(other.url, editor.user.username);
        const stream = await open(other.url, onOther.accessToken);
        const doc = dogDoc(editor.actor);
        await editor.api.push('dog', [create(doc)]);
        const change = await stream.waitFor((e) => e.event === 'change');
        expect(change.data).toEqual({ collection: 'dog', documents: [doc], checkpoint: { sequence: 1 } });
      } finally {
        other.process.kill('SIGTERM');
      }
    });

    it('STREAM-4 STREAM-5: a lost LISTEN connection ends the streams, and listening resumes', async () => {
      const storage = await harness.storage();
      const a = await harness.start({}, storage);
      const b = await harness.start({}, storage);
      const editor = await a.signIn('editor');
      const onB = await login(b.url, editor.user.username);
      const before = await open(b.url, onB.accessToken);
      const admin = new pg.Client({ connectionString: storage.databaseUrl });
      await admin.connect();
      try {
        const killed = await admin.query(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = 'LISTEN curio_changes' AND datname = current_database()",
        );
        expect(killed.rowCount).toBe(2);
      } finally {
        await admin.end();
      }
      await before.waitForEnd();
      let after: SseClient | null = null;
      // Listening resumes within about a second; a push after that reaches the new stream.
      for (let attempt = 0; attempt < 50 && !after?.events.some((e) => e.event === 'change'); attempt += 1) {
        after?.close();
        await new Promise((resolve) => setTimeout(resolve, 200));
        after = await open(b.url, onB.accessToken);
        await editor.api.push('dog', [create(dogDoc(editor.actor, { name: `Try ${attempt}` }))]);
        await after.waitFor((e) => e.event === 'change', 500).catch(() => undefined);
      }
      expect(after!.events.some((e) => e.event === 'change')).toBe(true);
    });
  }
});

/** Runs `server/cli.ts serve` as its own OS process on `databaseUrl` and resolves once it listens. */
function startServerProcess(databaseUrl: string, dataDir: string): Promise<{ url: string; process: ChildProcess }> {
  const root = path.resolve(import.meta.dirname, '../..');
  const child = spawn(
    path.join(root, 'node_modules/.bin/tsx'),
    [
      'server/cli.ts',
      'serve',
      '--database-url',
      databaseUrl,
      '--data-dir',
      dataDir,
      '--port',
      '0',
      '--log-level',
      'silent',
    ],
    { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`The server process did not start: ${output}`)), 30_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ url: match[1]!, process: child });
      }
    });
    child.once('exit', (code) => reject(new Error(`The server process exited (${code}): ${output}`)));
  });
}
