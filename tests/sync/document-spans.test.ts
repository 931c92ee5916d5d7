/**
 * The check thread finds where each document of a pull page lies in the page's line, so that the storage can
 * store the server's text of it (shared/sent-json.ts). A wrong span would store another document's text, so the
 * spans are compared with JSON.parse's reading of the same lines, tricky strings and random values included.
 */
import { describe, expect, it } from 'vitest';
import { documentSpans } from '../../main/sync/document-spans';
import { generateCatalog } from '../../shared/sample';

/** The documents of `line` as its spans cut them, each parsed alone. */
function documentsBySpans(line: string): unknown[] | null {
  const spans = documentSpans(line);
  if (!spans) return null;
  const documents: unknown[] = [];
  for (let k = 0; k < spans.length; k += 2) documents.push(JSON.parse(line.slice(spans[k], spans[k + 1])));
  return documents;
}

/** A small deterministic random source, so a failure can be run again. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

const TRICKY_STRINGS = ['', '"', '\\', '\\"', 'a\\\\', '{[,]}:', 'é €😀', '\u0000\u001f', '\\u0022', ' "x" ', '\n\t'];

/** A random JSON value of at most `depth` levels. */
function randomValue(next: () => number, depth: number): unknown {
  const kind = Math.floor(next() * (depth > 0 ? 8 : 6));
  if (kind === 0) return TRICKY_STRINGS[Math.floor(next() * TRICKY_STRINGS.length)];
  if (kind === 1) return (next() - 0.5) * 10 ** Math.floor(next() * 30 - 10);
  if (kind === 2) return Math.floor(next() * 1000);
  if (kind === 3) return next() < 0.5;
  if (kind === 4) return null;
  if (kind === 5) return `text ${next()}`;
  if (kind === 6) return Array.from({ length: Math.floor(next() * 4) }, () => randomValue(next, depth - 1));
  return randomObject(next, depth - 1);
}

function randomObject(next: () => number, depth: number): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  const fields = Math.floor(next() * 5);
  for (let i = 0; i < fields; i++) object[TRICKY_STRINGS[i]! + String(i)] = randomValue(next, depth);
  return object;
}

/** JSON text of `value` with white space wherever JSON allows it. */
function spaced(value: unknown, next: () => number): string {
  const space = () => [' ', '\n', '\t', '\r', ''][Math.floor(next() * 5)]!;
  if (Array.isArray(value))
    return `[${space()}${value.map((item) => spaced(item, next)).join(`${space()},${space()}`)}${space()}]`;
  if (value && typeof value === 'object') {
    const fields = Object.entries(value).map(
      ([key, item]) => `${JSON.stringify(key)}${space()}:${space()}${spaced(item, next)}`,
    );
    return `{${space()}${fields.join(`${space()},${space()}`)}${space()}}`;
  }
  return JSON.stringify(value);
}

describe('where each document lies in a pull page’s line', () => {
  it('cuts a page of catalog documents as the server sends it', () => {
    const documents = generateCatalog({ video: 40, person: 0, dog: 0, trip: 0, series: 0 }, 3).video;
    const line = JSON.stringify({ documents, checkpoint: { sequence: 40 }, hasMore: true });
    expect(documentsBySpans(line)).toEqual(documents);
  });

  it('follows strings with quotes, backslashes and any character, and white space anywhere', () => {
    const documents = TRICKY_STRINGS.map((text, k) => ({ id: String(k), [text]: text, list: [text, { text }] }));
    expect(documentsBySpans(JSON.stringify({ documents }))).toEqual(documents);
    const next = random(7);
    expect(documentsBySpans(spaced({ checkpoint: { sequence: 1 }, documents, hasMore: false }, next))).toEqual(
      documents,
    );
  });

  it('agrees with JSON.parse on random pages', () => {
    const next = random(42);
    for (let page = 0; page < 300; page++) {
      const documents = Array.from({ length: Math.floor(next() * 6) }, () => randomObject(next, 4));
      const before = randomObject(next, 2);
      const line = next() < 0.5 ? spaced({ ...before, documents }, next) : JSON.stringify({ documents, ...before });
      expect(documentsBySpans(line), line).toEqual((JSON.parse(line) as { documents: unknown[] }).documents);
    }
  });

  it('takes the last `documents` of a line, as JSON.parse does', () => {
    const line = '{"documents":[{"id":"a"}],"checkpoint":{"documents":[]},"documents":[{"id":"b"},{"id":"c"}]}';
    expect(documentsBySpans(line)).toEqual([{ id: 'b' }, { id: 'c' }]);
  });

  it('finds none in a line of another shape, so the storage serializes those documents itself', () => {
    expect(documentSpans('{"status":500,"error":"Server error"}')).toBeNull();
    expect(documentSpans('{}')).toBeNull();
    expect(documentSpans('[{"id":"a"}]')).toBeNull();
    expect(documentSpans('{"documents":{"id":"a"}}')).toBeNull();
    expect(documentSpans('{"documents":[{"id":"a"},"b"]}')).toBeNull();
    expect(documentSpans('{"documents":[{"id":"a"}')).toBeNull();
    expect(documentSpans('{"documents":[{"id":"a\\"}]}')).toBeNull();
    expect(documentSpans('{"documents":[{"id":"a"}]} x')).toBeNull();
    expect(documentSpans(`{"documents":[${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}]}`)).toBeNull();
    expect(documentSpans('{"documents":[]}')).toEqual(new Int32Array(0));
  });
});
