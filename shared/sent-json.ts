/**
 * The server's own text of pulled documents, for the storage to store instead of serializing each document
 * again: `JSON.stringify` of a pulled document was ~5 µs, a tenth of the client's main thread in an initial sync
 * (docs/decisions.md, "Pulled documents stored as the server sent them").
 *
 * A text is remembered for the very object RxDB writes (`rememberSentText`, by the check of pulled pages in
 * shared/rx-zod-validator.ts) only if that object holds exactly the fields parsed from the text, in their order
 * and with the very same values, before any others; it is forgotten once that write is over. The storage takes
 * it while the fields after those are RxDB's own alone (`storedJson`), which it appends; anything else is
 * serialized as before. NOTE: between the check and the write only RxDB's fields change (the storage sets
 * `_meta.lwt`), as the check of pulled pages relies on too.
 */

/** A pulled document's text in the server's page, and how many of the written document's fields it holds. */
interface SentDocument {
  text: string;
  fields: number;
}

const sent = new Map<object, SentDocument>();

/**
 * Remembers `text`, the server's text of `parsed`, for `written`, the document RxDB is about to write, if
 * `written` starts with exactly the fields of `parsed` (see above). True if it was remembered: `written` then
 * holds the fields of `parsed` with the very same values, and no others but fields that follow them.
 */
export function rememberSentText(
  written: Record<string, unknown>,
  parsed: Record<string, unknown>,
  text: string,
): boolean {
  const fields = fieldsInOrder(written, parsed);
  if (fields === 0) return false;
  sent.set(written, { text, fields });
  return true;
}

/** The write of `written` is over (or never came): its text is not needed any more. */
export function forgetSentText(written: object): void {
  sent.delete(written);
}

/**
 * The JSON to store for `document`: the server's text of it with RxDB's fields appended, when one was
 * remembered for it (see above), which parses to the same values as `JSON.stringify` of it and in the same
 * order; else `JSON.stringify` of it.
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
 * How many fields `parsed` has, if `written` has those first, in the same order and with the very same values,
 * and more after them; else 0.
 */
function fieldsInOrder(written: Record<string, unknown>, parsed: Record<string, unknown>): number {
  let count = 0;
  for (const key in written) documentKeys[count++] = key;
  let fields = 0;
  for (const key in parsed) {
    if (fields >= count || documentKeys[fields] !== key || written[key] !== parsed[key]) return 0;
    fields++;
  }
  return fields < count ? fields : 0;
}

/**
 * `text` with the fields `document` has past its first `fields`, or undefined if one of those is not RxDB's.
 * NOTE: the appended fields are serialized as `JSON.stringify` serializes them (a field whose value it leaves
 * out is left out); only `_` fields are taken, since a key that is an array index would be read back before the
 * others.
 */
function textWithRxFields(document: Record<string, unknown>, { text, fields }: SentDocument): string | undefined {
  let appended = '';
  let index = 0;
  for (const key in document) {
    if (index++ < fields) continue;
    let keyText = appendedKeys.get(key);
    if (keyText === undefined) {
      if (!key.startsWith('_')) return undefined;
      appendedKeys.set(key, (keyText = `,${JSON.stringify(key)}:`));
    }
    const value = JSON.stringify(document[key]) as string | undefined;
    if (value !== undefined) appended += keyText + value;
  }
  return index > fields ? text.slice(0, -1) + appended + '}' : undefined;
}
