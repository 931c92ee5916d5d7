import http from 'node:http';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, PROTOCOL_VERSION_HEADER, PULL_PAGES_MEDIA_TYPE } from '../../shared/protocol';
import { pullPages } from '../../server/sync';
import { create, dogDoc } from './documents';
import { ADAPTERS, serverHarness, type TestServer } from './helpers';

/** A pull exactly as it crossed the wire, its body decoded by hand: status, headers, text. */
function rawPull(server: TestServer, token: string, body: unknown, headers: Record<string, string>) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }>((resolve, reject) => {
    const request = http.request(
      new URL('/v1/sync/dog/pull', server.url),
      {
        method: 'POST',
        headers: {
          [PROTOCOL_VERSION_HEADER]: String(PROTOCOL_VERSION),
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          ...headers,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const bytes = Buffer.concat(chunks);
          const encoding = response.headers['content-encoding'];
          const decoded =
            encoding === 'br' ? zlib.brotliDecompressSync(bytes) : encoding === 'gzip' ? zlib.gunzipSync(bytes) : bytes;
          resolve({ status: response.statusCode!, headers: response.headers, text: decoded.toString('utf8') });
        });
      },
    );
    request.on('error', reject);
    request.end(JSON.stringify(body));
  });
}

describe.each(ADAPTERS)('streamed pull pages on %s (PULL-9)', (adapter) => {
  const harness = serverHarness(adapter);

  it('PULL-9: with Accept application/x-ndjson, each line is the pull from the line before, in every encoding', async () => {
    const server = await harness.start();
    const { api, actor } = await server.signIn('editor');
    const docs = Array.from({ length: 25 }, () => dogDoc(actor));
    expect((await api.push('dog', docs.map(create))).body).toEqual({ conflicts: [], refused: [] });

    // What a client pulling page by page from each checkpoint gets, as the server writes it.
    const expected: string[] = [];
    for (let checkpoint: number | null = null; ;) {
      const page = await api.pull('dog', checkpoint, 10);
      expected.push(page.text);
      checkpoint = page.body.checkpoint.sequence;
      if (page.body.documents.length < 10) break;
    }
    expect(expected).toHaveLength(3);

    for (const encoding of ['identity', 'br', 'gzip']) {
      const answer = await rawPull(
        server,
        api.token!,
        { checkpoint: null, limit: 10 },
        { accept: PULL_PAGES_MEDIA_TYPE, 'accept-encoding': encoding },
      );
      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toMatch(/^application\/x-ndjson/);
      expect(answer.headers['content-encoding']).toBe(encoding === 'identity' ? undefined : encoding);
      expect(answer.text).toBe(expected.map((line) => `${line}\n`).join(''));
    }
  });

  it('the pulled bytes counted before compression are the bytes of the pages sent, names beyond ASCII included', async () => {
    const server = await harness.start();
    const { api, actor } = await server.signIn('editor');
    const names = ['Björk', 'Łatka 🐕', 'Ōkami', '小白'];
    const docs = Array.from({ length: 25 }, (_, i) => dogDoc(actor, { name: `${names[i % names.length]} ${i}` }));
    expect((await api.push('dog', docs.map(create))).body).toEqual({ conflicts: [], refused: [] });
    const identityBytes = async () => {
      const metrics = await (await fetch(new URL('/metrics', server.url))).text();
      return Number(/^curio_sync_pulled_bytes_total\{encoding="identity"\} (\d+)/m.exec(metrics)?.[1] ?? 0);
    };

    for (const accept of [PULL_PAGES_MEDIA_TYPE, 'application/json']) {
      const before = await identityBytes();
      const answer = await rawPull(
        server,
        api.token!,
        { checkpoint: null, limit: 10 },
        { accept, 'accept-encoding': 'br' },
      );
      const pages = answer.text.split('\n').filter((line) => line !== '');
      expect(pages.length).toBe(accept === PULL_PAGES_MEDIA_TYPE ? 3 : 1);
      // Each page's JSON, without the line's end: the text the client parses.
      const sent = pages.reduce((sum, page) => sum + Buffer.byteLength(page), 0);
      expect(sent).toBeGreaterThan(answer.text.replaceAll('\n', '').length);
      expect((await identityBytes()) - before).toBe(sent);
    }
  });

  it('PULL-9: one answer carries up to 100 pages, and the next answer goes on from its last line', async () => {
    const server = await harness.start();
    const { api, actor } = await server.signIn('editor');
    const docs = Array.from({ length: 130 }, () => dogDoc(actor));
    expect((await api.push('dog', docs.map(create))).body).toEqual({ conflicts: [], refused: [] });
    const streamed = async (checkpoint: unknown) => {
      const answer = await rawPull(server, api.token!, { checkpoint, limit: 1 }, { accept: PULL_PAGES_MEDIA_TYPE });
      return answer.text
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as { documents: { id: string }[]; checkpoint: unknown });
    };

    // A catch-up over a slow link keeps the link busy while the client writes: no request per 20 pages.
    const first = await streamed(null);
    expect(first).toHaveLength(100);
    const rest = await streamed(first.at(-1)!.checkpoint);
    expect(rest).toHaveLength(31);
    expect(rest.at(-1)!.documents).toEqual([]);
    const pulled = [...first, ...rest].flatMap((page) => page.documents.map((doc) => doc.id));
    expect(pulled).toEqual(docs.map((doc) => doc.id));
  });

  it('PULL-9: without that Accept, or when the first page is the last, the answer is the one JSON page of PULL-1', async () => {
    const server = await harness.start();
    const { api, actor } = await server.signIn('editor');
    await api.push('dog', [create(dogDoc(actor)), create(dogDoc(actor)), create(dogDoc(actor))]);
    const plain = await api.pull('dog', null, 2);

    const old = await rawPull(server, api.token!, { checkpoint: null, limit: 2 }, { accept: 'application/json' });
    expect(old.headers['content-type']).toMatch(/^application\/json/);
    expect(old.text).toBe(plain.text);
    const refused = await rawPull(
      server,
      api.token!,
      { checkpoint: null, limit: 2 },
      { accept: `${PULL_PAGES_MEDIA_TYPE};q=0, application/json` },
    );
    expect(refused.headers['content-type']).toMatch(/^application\/json/);

    const live = await rawPull(server, api.token!, { checkpoint: null, limit: 10 }, { accept: PULL_PAGES_MEDIA_TYPE });
    expect(live.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(live.text)).toEqual((await api.pull('dog', null, 10)).body);
  });

  it('PULL-9 PULL-7: a page is read only when the one before was taken, so a compaction in between is answered 410', async () => {
    const server = await harness.start();
    const { api, actor } = await server.signIn('editor');
    await api.push(
      'dog',
      Array.from({ length: 5 }, () => create(dogDoc(actor))),
    );
    const pages = pullPages(server.store, 'dog', { checkpoint: null, limit: 2 }, { maxPageBytes: 1024 * 1024 });
    const first = (await pages.next()).value!;
    expect(first.documents).toHaveLength(2);
    // A compaction passed the checkpoint the next page goes on from (RETAIN-3 raises the horizon first).
    await server.store.sql.run('INSERT INTO tombstone_horizons (collection, seq) VALUES (?, ?)', [
      'dog',
      first.checkpoint.sequence + 1,
    ]);
    await expect(pages.next()).rejects.toMatchObject({ code: 'RESYNC_REQUIRED' });
  });
});
