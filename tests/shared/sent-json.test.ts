/**
 * The storage stores a pulled document as the server's text of it, with RxDB's fields appended, instead of
 * serializing it again (shared/sent-json.ts). That text must stand for the very document written: whatever
 * differs from the document parsed from it is serialized as before.
 */
import { describe, expect, it } from 'vitest';
import { forgetSentText, rememberSentText, storedJson } from '../../shared/sent-json';

/** A pulled document as the server sent it, in a text JSON.stringify would not write (spaces, an escaped é). */
const SENT = '{ "id": "a", "title": "Caf\\u00e9", "people": ["p1", "p2"], "episode": 2, "_deleted": false }';

/** The document parsed from SENT, and the one RxDB writes: the same fields, then its own. */
function pulled(): { parsed: Record<string, unknown>; written: Record<string, unknown> } {
  const parsed = JSON.parse(SENT) as Record<string, unknown>;
  const written = { ...parsed, _meta: { lwt: 1796639564366.21 }, _rev: '1-abc', _attachments: {} };
  return { parsed, written };
}

describe('pulled documents stored as the server sent them', () => {
  it('stores the sent text with RxDB’s fields, which reads back as the written document, in its order', () => {
    const { parsed, written } = pulled();
    rememberSentText(written, parsed, SENT);
    const stored = storedJson(written);
    expect(stored).toBe(`${SENT.slice(0, -1)},"_meta":{"lwt":1796639564366.21},"_rev":"1-abc","_attachments":{}}`);
    expect(JSON.parse(stored)).toEqual(written);
    expect(Object.keys(JSON.parse(stored) as object)).toEqual(Object.keys(written));
    forgetSentText(written);
    expect(storedJson(written)).toBe(JSON.stringify(written));
  });

  it('serializes a document that is not the one parsed from the text', () => {
    const cases: [string, (written: Record<string, unknown>) => Record<string, unknown>][] = [
      ['a field changed', (written) => ({ ...written, title: 'Changed' })],
      ['a list copied (equal, but not the very value checked)', (written) => ({ ...written, people: ['p1', 'p2'] })],
      ['a field of its own added', (written) => ({ ...written, note: 'added' })],
      ['a field left out', ({ episode: _episode, ...written }) => written],
      ['RxDB’s own field changed', (written) => ({ ...written, _deleted: true })],
      ['the fields in another order', ({ id, ...written }) => ({ ...written, id })],
      ['no fields of RxDB’s own', ({ _meta: _m, _rev: _r, _attachments: _a, ...written }) => written],
    ];
    for (const [change, make] of cases) {
      const { parsed, written } = pulled();
      const document = make(written);
      rememberSentText(document, parsed, SENT);
      expect(storedJson(document), change).toBe(JSON.stringify(document));
      forgetSentText(document);
    }
  });

  it('serializes a document never remembered, and an appended field as JSON.stringify would (undefined left out)', () => {
    const { parsed, written } = pulled();
    expect(storedJson(written)).toBe(JSON.stringify(written));
    const withUndefined = { ...written, _extra: undefined };
    rememberSentText(withUndefined, parsed, SENT);
    expect(JSON.parse(storedJson(withUndefined))).toEqual(JSON.parse(JSON.stringify(withUndefined)));
    forgetSentText(withUndefined);
  });
});
