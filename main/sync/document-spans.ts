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
    // Nested deeper than the stack allows: the storage serializes these documents itself.
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

  constructor(private readonly text: string) {}

  /** The spans of the top-level object's `documents` array (the last one, as JSON.parse keeps the last). */
  page(): Int32Array | null {
    let spans: Int32Array | null = null;
    this.expect(OPEN_OBJECT);
    if (this.peek() === CLOSE_OBJECT) return null;
    for (;;) {
      this.peek();
      const keyStart = this.at;
      this.string();
      const isDocuments = this.at - keyStart === DOCUMENTS_KEY.length && this.text.startsWith(DOCUMENTS_KEY, keyStart);
      this.expect(COLON);
      if (isDocuments) spans = this.documents();
      else this.value();
      const next = this.next();
      if (next === CLOSE_OBJECT) break;
      if (next !== COMMA) throw new NotFollowed();
    }
    if (this.peek() !== undefined) throw new NotFollowed();
    return spans;
  }

  /** The spans of an array of objects. */
  private documents(): Int32Array {
    const spans: number[] = [];
    this.expect(OPEN_ARRAY);
    if (this.peek() === CLOSE_ARRAY) {
      this.at++;
      return new Int32Array(0);
    }
    for (;;) {
      if (this.peek() !== OPEN_OBJECT) throw new NotFollowed();
      spans.push(this.at);
      this.object();
      spans.push(this.at);
      const next = this.next();
      if (next === CLOSE_ARRAY) return Int32Array.from(spans);
      if (next !== COMMA) throw new NotFollowed();
    }
  }

  /** Skips a value of any kind. */
  private value(): void {
    const first = this.peek();
    if (first === QUOTE) this.string();
    else if (first === OPEN_OBJECT) this.object();
    else if (first === OPEN_ARRAY) this.array();
    else this.scalar();
  }

  private object(): void {
    this.expect(OPEN_OBJECT);
    if (this.peek() === CLOSE_OBJECT) {
      this.at++;
      return;
    }
    for (;;) {
      this.string();
      this.expect(COLON);
      this.value();
      const next = this.next();
      if (next === CLOSE_OBJECT) return;
      if (next !== COMMA) throw new NotFollowed();
    }
  }

  private array(): void {
    this.expect(OPEN_ARRAY);
    if (this.peek() === CLOSE_ARRAY) {
      this.at++;
      return;
    }
    for (;;) {
      this.value();
      const next = this.next();
      if (next === CLOSE_ARRAY) return;
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
