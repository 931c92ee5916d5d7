/**
 * Where each document of a pull page's line lies in that line: for the k-th element of the line's top-level
 * `documents` array, `spans[2k]` is the index of its `{` and `spans[2k + 1]` the index just past its `}`. Null
 * when the line is not an object whose `documents` is an array of objects, or cannot be followed to its end.
 *
 * The check thread finds them while it checks the page, so that the storage can store each pulled document as
 * the server's text of it rather than serializing it again (shared/sent-json.ts). NOTE: a scan of the text's
 * structure, not a parser: the line was parsed already (which is what says it is valid JSON), and this only has
 * to follow strings, objects and arrays to find where each element starts and ends. A string is skipped with
 * `indexOf`, which costs far less than reading it a character at a time.
 */
export function documentSpans(line: string): Int32Array | null {
  try {
    return new SpanScanner(line).page();
  } catch {
    // A line of another shape (NotFollowed), or nested deeper than the stack allows: the storage serializes
    // these documents itself.
    return null;
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const DOCUMENTS_KEY = '"documents"';

/** Thrown inside the scan when the text is not shaped as expected; never leaves `documentSpans`. */
class NotFollowed extends Error {}

class SpanScanner {
  private at = 0;
  /** The spans of the last `documents` array seen. */
  private spans: number[] | null = null;

  constructor(private readonly text: string) {}

  /** The spans of the top-level object's `documents` array (the last one, as JSON.parse keeps the last). */
  page(): Int32Array | null {
    this.items(OPEN_OBJECT, CLOSE_OBJECT, this.pageField);
    if (this.peek() !== undefined) throw new NotFollowed();
    return this.spans && Int32Array.from(this.spans);
  }

  private readonly pageField = (): void => {
    this.peek();
    const keyStart = this.at;
    this.string();
    const isDocuments = this.at - keyStart === DOCUMENTS_KEY.length && this.text.startsWith(DOCUMENTS_KEY, keyStart);
    this.expect(COLON);
    if (!isDocuments) return this.value();
    this.spans = [];
    this.items(OPEN_ARRAY, CLOSE_ARRAY, this.document);
  };

  /** An element of `documents`: an object, whose span is noted. */
  private readonly document = (): void => {
    if (this.peek() !== OPEN_OBJECT) throw new NotFollowed();
    this.spans!.push(this.at);
    this.object();
    this.spans!.push(this.at);
  };

  /** Skips a value of any kind. */
  private readonly value = (): void => {
    const first = this.peek();
    if (first === QUOTE) this.string();
    else if (first === OPEN_OBJECT) this.object();
    else if (first === OPEN_ARRAY) this.items(OPEN_ARRAY, CLOSE_ARRAY, this.value);
    else this.scalar();
  };

  private object(): void {
    this.items(OPEN_OBJECT, CLOSE_OBJECT, this.field);
  }

  private readonly field = (): void => {
    this.string();
    this.expect(COLON);
    this.value();
  };

  /** An object or array: `open`, then `item`s separated by commas, then `close`. */
  private items(open: number, close: number, item: () => void): void {
    this.expect(open);
    if (this.peek() === close) {
      this.at++;
      return;
    }
    for (;;) {
      item();
      const next = this.next();
      if (next === close) return;
      if (next !== COMMA) throw new NotFollowed();
    }
  }

  /** Skips a string: its closing quote is the first one not escaped (preceded by an even run of backslashes). */
  private string(): void {
    this.expect(QUOTE);
    let end = this.at - 1;
    for (;;) {
      end = this.text.indexOf('"', end + 1);
      if (end < 0) throw new NotFollowed();
      let backslashes = 0;
      while (this.text.charCodeAt(end - 1 - backslashes) === BACKSLASH) backslashes++;
      if (backslashes % 2 === 0) break;
    }
    this.at = end + 1;
  }

  /** Skips a number, `true`, `false` or `null`: up to the next structural character or white space. */
  private scalar(): void {
    const start = this.at;
    while (this.at < this.text.length) {
      const code = this.text.charCodeAt(this.at);
      if (code === COMMA || code === CLOSE_OBJECT || code === CLOSE_ARRAY || isWhiteSpace(code)) break;
      this.at++;
    }
    if (this.at === start) throw new NotFollowed();
  }

  /** The next character that is not white space, without taking it; undefined at the end. */
  private peek(): number | undefined {
    while (this.at < this.text.length && isWhiteSpace(this.text.charCodeAt(this.at))) this.at++;
    return this.at < this.text.length ? this.text.charCodeAt(this.at) : undefined;
  }

  /** Takes the next character that is not white space. */
  private next(): number | undefined {
    const code = this.peek();
    this.at++;
    return code;
  }

  private expect(code: number): void {
    if (this.next() !== code) throw new NotFollowed();
  }
}

/** JSON's white space: space, tab, line feed, carriage return. */
function isWhiteSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}
