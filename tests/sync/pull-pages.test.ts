import { describe, expect, it } from 'vitest';
import { AuthSession, type TokenAnswer } from '../../main/sync/auth';
import { sendStreamed, ServerTimeoutError, type RequestOptions } from '../../main/sync/http';
import { StreamedPulls, type PullAnswer } from '../../main/sync/pull-pages';
import type { PullCheckpoint } from '../../shared/protocol';
import { create, dogDoc } from '../server/documents';
import { serverHarness, type TestServer } from '../server/helpers';
import { TcpProxy } from './tcp-proxy';

/** A signed-in session as the pull handler uses it, counting the requests it sends and their encodings. */
async function session(server: TestServer, options: { olderServer?: boolean } = {}) {
  const { api, actor, accessToken } = await server.signIn('editor');
  const counted = {
    serverUrl: server.url,
    timeoutMs: 10_000,
    requests: 0,
    encodings: [] as (string | null)[],
    async sendStreamed(path: string, given: RequestOptions) {
      counted.requests++;
      // An older server ignores the Accept header: the same as not sending it.
      const accept = options.olderServer ? undefined : given.accept;
      const answer = await sendStreamed(counted.serverUrl, path, { ...given, accept, accessToken });
      counted.encodings.push(answer.headers.get('content-encoding'));
      return answer;
    },
  };
  return { api, actor, session: counted };
}

/** Pages parsed without the check of their documents, which the storage then makes (pulled-check.test.ts). */
const unchecked = (line: string, parse: (line: string) => PullAnswer) => parse(line);

/** RxDB has written every page it was handed. */
const allWritten = () => Number.MAX_SAFE_INTEGER;

/** A signed-in session, `count` dogs on the server, and the pull pages of their collection. */
async function withDogs(server: TestServer, count: number, written: () => number | null = allWritten) {
  const { api, actor, session: streaming } = await session(server);
  await api.push(
    'dog',
    Array.from({ length: count }, () => create(dogDoc(actor))),
  );
  return {
    api,
    actor,
    streaming,
    pages: new StreamedPulls(streaming, '/v1/sync/dog', written, unchecked),
  };
}

/** Waits until the server has written `count` dogs into pull answers (its metrics count them as sent). */
async function serverSentDogs(server: TestServer, count: number): Promise<void> {
  await expect
    .poll(async () => {
      const metrics = await (await fetch(new URL('/metrics', server.url))).text();
      return Number(/^curio_sync_pulled_documents_total\{collection="dog"\} (\d+)/m.exec(metrics)?.[1] ?? 0);
    })
    .toBeGreaterThanOrEqual(count);
}

/** Pages from `checkpoint` until the last, as RxDB asks for them during a catch-up. */
async function catchUp(pages: StreamedPulls, limit: number, from: PullCheckpoint | null = null) {
  const answers: PullAnswer[] = [];
  for (let checkpoint = from; ;) {
    const page = await pages.page(checkpoint, limit, pages.streamItemsSeen);
    answers.push(page);
    checkpoint = page.checkpoint;
    if (page.documents.length < limit && !page.hasMore) return answers;
  }
}

describe('streamed pull pages in the client (CLIENT-17)', () => {
  const harness = serverHarness('sqlite');

  it('CLIENT-17: a catch-up takes its pages from one request, the same pages as one request each', async () => {
    const server = await harness.start();
    const { streaming, pages } = await withDogs(server, 25);
    const streamed = await catchUp(pages, 10);
    expect(streaming.requests).toBe(1);

    const { session: older } = await session(server, { olderServer: true });
    const onePerRequest = await catchUp(new StreamedPulls(older, '/v1/sync/dog', allWritten, unchecked), 10);
    expect(older.requests).toBe(3);
    expect(streamed).toEqual(onePerRequest);
    expect(streamed.flatMap((page) => page.documents)).toHaveLength(25);
  });

  it('CLIENT-17: a call from another checkpoint or limit asks anew', async () => {
    const server = await harness.start();
    const { api, streaming, pages } = await withDogs(server, 25);
    const first = await pages.page(null, 10, pages.streamItemsSeen);
    const again = await pages.page(null, 10, pages.streamItemsSeen);
    expect(again).toEqual(first);
    expect(streaming.requests).toBe(2);
    const smaller = await pages.page(first.checkpoint, 5, pages.streamItemsSeen);
    expect(smaller.documents).toEqual((await api.pull('dog', first.checkpoint.sequence, 5)).body.documents);
    expect(streaming.requests).toBe(3);
    pages.close();
  });

  it('CLIENT-17: the last page of an answer under way when a stream item came is asked for again, and holds the change', async () => {
    const server = await harness.start();
    const { api, actor, streaming, pages } = await withDogs(server, 25);
    const first = await pages.page(null, 10, pages.streamItemsSeen);
    // The server has written the whole answer (its lines wait in the connection) before the next commit.
    await serverSentDogs(server, 25);
    const late = dogDoc(actor);
    await api.push('dog', [create(late)]);
    // Its stream item reaches RxDB, which drops it: the pull it runs next is trusted to hold the change.
    pages.sawStreamItem();
    const rest = await catchUp(pages, 10, first.checkpoint);
    expect(rest.flatMap((page) => page.documents).map((doc) => doc.id)).toContain(late.id);
    expect(streaming.requests).toBe(2);
  });

  it('CLIENT-17: a streamed page waits while RxDB has not written the pages handed before it', async () => {
    const server = await harness.start();
    let written = 0;
    const { pages } = await withDogs(server, 35, () => written);
    const first = await pages.page(null, 10, pages.streamItemsSeen);
    const second = await pages.page(first.checkpoint, 10, pages.streamItemsSeen);
    let third: PullAnswer | null = null;
    const asked = pages.page(second.checkpoint, 10, pages.streamItemsSeen).then((page) => (third = page));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(third).toBeNull();
    written = first.checkpoint.sequence;
    await asked;
    expect(third!.documents).toHaveLength(10);
    pages.close();
  });

  it.each(['br', 'gzip'] as const)(
    'CLIENT-17, PULL-8: a catch-up streamed in %s decodes to the pages one request each gives',
    async (encoding) => {
      const server = await harness.start({ pullEncodings: [encoding] });
      const { api, streaming, pages } = await withDogs(server, 45);
      const streamed = await catchUp(pages, 10);
      expect(streaming.encodings).toEqual([encoding]);
      const onePerRequest: unknown[] = [];
      for (let checkpoint: number | null = null; onePerRequest.length < streamed.length;) {
        const { body } = await api.pull('dog', checkpoint, 10);
        onePerRequest.push(body);
        checkpoint = body.checkpoint.sequence;
      }
      expect(streamed).toEqual(onePerRequest);
      expect(streamed.flatMap((page) => page.documents)).toHaveLength(45);
    },
  );

  it('CLIENT-17: a streamed pull refused with 401 refreshes the tokens once and is sent again', async () => {
    const server = await harness.start();
    const { api, actor, user, refreshToken } = await server.signIn('editor');
    await api.push(
      'dog',
      Array.from({ length: 25 }, () => create(dogDoc(actor))),
    );
    const kept: TokenAnswer[] = [];
    // An access token the server does not take, still valid by its clock: only the 401 tells.
    const stale = { accessToken: 'stale', accessTokenExpiresAt: '2999-01-01T00:00:00.000Z', refreshToken, user };
    const authSession = new AuthSession(server.url, stale, async (tokens) => void kept.push(tokens), 10_000);
    const streamed = await catchUp(new StreamedPulls(authSession, '/v1/sync/dog', allWritten, unchecked), 10);
    expect(streamed.flatMap((page) => page.documents)).toHaveLength(25);
    expect(kept).toHaveLength(1);
  });

  it('a catch-up asked for ahead takes its pages from that answer: one request, sent before the first call', async () => {
    const server = await harness.start();
    const { streaming, pages } = await withDogs(server, 25);
    pages.requestFromStart(10);
    // On its way before RxDB's first call (which comes once RxDB has set its replication up).
    expect(streaming.requests).toBe(1);
    const streamed = await catchUp(pages, 10);
    expect(streaming.requests).toBe(1);
    const { session: plain } = await session(server);
    expect(streamed).toEqual(await catchUp(new StreamedPulls(plain, '/v1/sync/dog', allWritten, unchecked), 10));
  });

  it('an answer asked for ahead is closed by a first call from elsewhere, which asks anew', async () => {
    const server = await harness.start();
    const { api, streaming, pages } = await withDogs(server, 25);
    const { body: start } = await api.pull('dog', null, 10);
    pages.requestFromStart(10);
    const page = await pages.page(start.checkpoint, 10, pages.streamItemsSeen);
    expect(streaming.requests).toBe(2);
    expect(page.documents).toEqual((await api.pull('dog', start.checkpoint.sequence, 10)).body.documents);
    pages.close();
  });

  it('no answer is asked for ahead once the first call came: the answer it reads stays open', async () => {
    const server = await harness.start();
    const { streaming, pages } = await withDogs(server, 25);
    const first = await pages.page(null, 10, pages.streamItemsSeen);
    pages.requestFromStart(10);
    const rest = await catchUp(pages, 10, first.checkpoint);
    expect(streaming.requests).toBe(1);
    expect([first, ...rest].flatMap((page) => page.documents)).toHaveLength(25);
  });

  it('a stream item that came after an answer was asked for ahead: its change is in the pages all the same', async () => {
    const server = await harness.start();
    const { api, actor, pages } = await withDogs(server, 25);
    pages.requestFromStart(10);
    // The server has written the whole answer (its lines wait in the connection) before the next commit.
    await serverSentDogs(server, 25);
    const late = dogDoc(actor);
    await api.push('dog', [create(late)]);
    // Its stream item reaches RxDB before RxDB's first call, and is dropped: that pull is trusted to hold it.
    pages.sawStreamItem();
    const streamed = await catchUp(pages, 10);
    expect(streamed.flatMap((page) => page.documents).map((doc) => doc.id)).toContain(late.id);
  });

  it('CLIENT-17: a streamed answer whose line does not come within the request timeout fails the call', async () => {
    const server = await harness.start();
    const proxy = await TcpProxy.start(server.url);
    try {
      const { streaming, pages } = await withDogs(server, 25);
      Object.assign(streaming, { serverUrl: proxy.url, timeoutMs: 1_000 });
      // The answer's headers arrive (JSON lines), then nothing more, not even a close.
      proxy.stallRequests(/^POST \/v1\/sync\/dog\/pull /m, 1, 'answer-headers');
      await expect(pages.page(null, 10, pages.streamItemsSeen)).rejects.toThrow(ServerTimeoutError);
      expect(proxy.stalled).toBe(1);
      // The call after it asks anew and gets its page.
      expect((await pages.page(null, 10, pages.streamItemsSeen)).documents).toHaveLength(10);
      pages.close();
    } finally {
      await proxy.close();
    }
  });
});
