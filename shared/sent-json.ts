/**
 * The server's own text of pulled documents, for the storage to store instead of serializing each document
 * again: `JSON.stringify` of a pulled document was ~5 µs, a tenth of the client's main thread in an initial sync
 * (docs/decisions.md, "Pulled documents stored as the server sent them").
 *
 * A text is remembered for the very object RxDB writes (`rememberSentText`, by the check of pulled pages in
 * shared/rx-zod-validator.ts), with the document parsed from it, and forgotten once that write is over. The
 * storage takes it only while the written object holds exactly the parsed fields, in their order and with the
 * very same values, followed by RxDB's own fields alone (`storedJson`); anything else is serialized as before.
 */

/** A pulled document as parsed from the server's page, and its text in that page. */
interface SentDocument {
  parsed: Record<string, unknown>;
  text: string;
}

const sent = new Map<object, SentDocument>();

/** `written`, the document RxDB is about to write, holds the fields of `parsed`, whose text the server sent is `text`. */
export function rememberSentText(written: object, parsed: Record<string, unknown>, text: string): void {
  sent.set(written, { parsed, text });
}

/** The write of `written` is over (or never came): its text is not needed any more. */
export function forgetSentText(written: object): void {
  sent.delete(written);
}

/**
 * The JSON to store for `document`: the server's text of it with RxDB's fields appended, when the document is
 * still the one parsed from that text (see above), which parses to the same values as `JSON.stringify` of it
 * and in the same order; else `JSON.stringify` of it.
 */
export function storedJson(document: Record<string, unknown>): string {
  const from = sent.get(document);
  return (from && textWithRxFields(document, from)) ?? JSON.stringify(document);
}

/** The keys of the document being checked, in order (one array for all: this runs once per pulled document). */
const documentKeys: string[] = [];
/** `,"<key>":` of each RxDB field appended so far (a handful), made once. */
const appendedKeys = new Map<string, string>();

/**
 * `text` with the fields `document` has past those of `parsed`, or undefined if `document` is not `parsed`
 * followed by RxDB's own fields. NOTE: the appended fields are serialized as `JSON.stringify` serializes them
 * (a field whose value it leaves out is left out); only `_` fields are taken, since a key that is an array
 * index would be read back before the others.
 */
function textWithRxFields(document: Record<string, unknown>, { parsed, text }: SentDocument): string | undefined {
  let count = 0;
  for (const key in document) documentKeys[count++] = key;
  let sentCount = 0;
  for (const key in parsed) {
    if (sentCount >= count || documentKeys[sentCount] !== key || document[key] !== parsed[key]) return undefined;
    sentCount++;
  }
  if (sentCount === 0 || sentCount >= count) return undefined;
  let appended = '';
  for (let i = sentCount; i < count; i++) {
    const key = documentKeys[i]!;
    let keyText = appendedKeys.get(key);
    if (keyText === undefined) {
      if (!key.startsWith('_')) return undefined;
      appendedKeys.set(key, (keyText = `,${JSON.stringify(key)}:`));
    }
    const value = JSON.stringify(document[key]) as string | undefined;
    if (value !== undefined) appended += keyText + value;
  }
  return text.slice(0, -1) + appended + '}';
}
