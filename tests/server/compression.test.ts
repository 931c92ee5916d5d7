/* eslint-disable @typescript-eslint/no-explicit-any -- JSON bodies in tests are checked by assertions, not types. */
import http from 'node:http';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { requestJson } from '../../main/sync/http';
import { PROTOCOL_VERSION, PROTOCOL_VERSION_HEADER } from '../../shared/protocol';
import { chooseEncoding } from '../../server/http/compression';
import { create, dogDoc } from './documents';
import { serverHarness } from './helpers';

/** The pull answer exactly as it crossed the wire: status, headers and undecoded bytes. */
function rawPull(url: string, token: string, acceptEncoding: string) {
  return new Promise<{ headers: http.IncomingHttpHeaders; bytes: Buffer }>((resolve, reject) => {
    const request = http.request(
      new URL('/v1/sync/dog/pull', url),
      {
        method: 'POST',
        headers: {
          [PROTOCOL_VERSION_HEADER]: String(PROTOCOL_VERSION),
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'accept-encoding': acceptEncoding,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ headers: response.headers, bytes: Buffer.concat(chunks) }));
      },
    );
    request.on('error', reject);
    request.end(JSON.stringify({ checkpoint: null, limit: 1000 }));
  });
}

describe('accept-encoding', () => {
  it('prefers brotli, falls back to gzip, and never picks a coding refused with q=0', () => {
    expect(chooseEncoding('gzip, deflate, br')).toBe('br');
    expect(chooseEncoding('gzip, deflate')).toBe('gzip');
    expect(chooseEncoding('br;q=0, gzip;q=0.5')).toBe('gzip');
    expect(chooseEncoding('*')).toBe('gzip');
    expect(chooseEncoding('identity')).toBeNull();
    expect(chooseEncoding('gzip;q=0')).toBeNull();
    expect(chooseEncoding(undefined)).toBeNull();
  });

  it('offers only the encodings the server is configured with, in its order', () => {
    expect(chooseEncoding('br, gzip', ['gzip'])).toBe('gzip');
    expect(chooseEncoding('br, gzip', ['gzip', 'br'])).toBe('gzip');
    expect(chooseEncoding('br', ['gzip'])).toBeNull();
    expect(chooseEncoding('br, gzip', [])).toBeNull();
  });
});

// Compression sits in the HTTP layer above either store: SQLite covers it.
describe('compressed pull pages (issue 16)', () => {
  const harness = serverHarness('sqlite');

  it('answer the client in the coding it accepts, with exactly the documents of the uncompressed answer', async () => {
    const server = await harness.start();
    const { api, actor } = await server.signIn('editor');
    const docs = Array.from({ length: 40 }, () => dogDoc(actor));
    expect((await api.push('dog', docs.map(create))).body).toEqual({ conflicts: [], refused: [] });
    const token = api.token!;

    const plain = await rawPull(server.url, token, 'identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    const text = plain.bytes.toString('utf8');
    expect(JSON.parse(text).documents.map((doc: any) => doc.id)).toEqual(docs.map((doc) => doc.id));

    const br = await rawPull(server.url, token, 'gzip, deflate, br');
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(zlib.brotliDecompressSync(br.bytes).toString('utf8')).toBe(text);
    expect(br.bytes.length).toBeLessThan(plain.bytes.length / 2);

    const gzip = await rawPull(server.url, token, 'gzip');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(gzip.bytes).toString('utf8')).toBe(text);
  });

  it("the app's client asks for brotli and reads the same documents", async () => {
    const server = await harness.start();
    const { api, actor } = await server.signIn('editor');
    const docs = Array.from({ length: 40 }, () => dogDoc(actor));
    await api.push('dog', docs.map(create));
    const before = await (await fetch(new URL('/metrics', server.url))).text();
    const page = await requestJson<any>(server.url, '/v1/sync/dog/pull', {
      body: { checkpoint: null, limit: 1000 },
      accessToken: api.token!,
    });
    expect(page.documents).toEqual((await api.pull('dog', null, 1000)).body.documents);
    const after = await (await fetch(new URL('/metrics', server.url))).text();
    const brBytes = (metrics: string) =>
      Number(/^curio_sync_pulled_bytes_total\{encoding="br"\} (\d+)/m.exec(metrics)?.[1] ?? 0);
    expect(brBytes(after)).toBeGreaterThan(brBytes(before));
  });
});
