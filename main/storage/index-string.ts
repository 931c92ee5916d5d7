import {
  getIndexMeta,
  getNumberIndexString,
  getStringLengthOfIndexNumber,
  INDEX_MAX,
  INDEX_MIN,
  type RxDocumentData,
  type RxJsonSchema,
  type RxQueryPlanKey,
} from 'rxdb';

/**
 * The strings stored in the index columns: one part per index field, joined,
 * so that SQLite's byte order of the whole string is the order of the field
 * values one after the other (null first), and an index range in SQLite
 * returns exactly what RxDB's query matcher accepts.
 *
 * NOTE: a compact encoding of our own, not RxDB's index strings (format 2,
 * see INDEX_FORMAT). RxDB pads every string part to its schema maxLength, so a
 * title index string was 261 characters for a 5-letter title and every write
 * put six such strings into six b-trees. Here:
 * - a string part is STRING_MARK, the value, then END; characters below
 *   FIRST_PLAIN are written as ESCAPE plus one character, so END stays the
 *   smallest thing that can follow a value's prefix (a shorter string sorts
 *   first, as in JavaScript) and nothing inside a value can end it early;
 * - a number part is RxDB's fixed-width digit string (short, and equal widths
 *   need no end mark); a boolean part is '0' or '1';
 * - a null or missing value is NULL_MARK alone, below every value of the
 *   field. RxDB writes '' or 0 there; its planner treats `{ field: null }` as
 *   satisfied by the index, which then returns '' and null alike (and trashed
 *   entries for `{ deletedAt: null }`); with a distinct part `$eq: null` is
 *   one exact range, and null still sorts first as in RxDB's sort comparator.
 * SQLite compares TEXT as UTF-8 bytes (code point order) while JavaScript
 * compares UTF-16 code units; `sqlOrderable` maps code units from U+D800 up
 * above the BMP so both orders agree (emoji in a name sort as in RxDB).
 */
const LOWEST = '\x00';
const NULL_MARK = '\x01';
const END = '\x01';
const STRING_MARK = '\x02';
const ESCAPE = '\x02';
const FIRST_PLAIN = 0x03;
/** Above the first character of every part (INDEX_MAX is U+FFFF; a range bound holds it lifted, HIGHEST_PART). */
const HIGHEST = INDEX_MAX;

/**
 * The encoding of the index columns. Format 1 (earlier releases) held RxDB's
 * padded index strings; a table still at 1 gets its index columns rebuilt
 * when it is opened (collection-table.ts).
 */
export const INDEX_FORMAT = 2;

type DocData = RxDocumentData<Record<string, unknown>>;
type Schema = RxJsonSchema<DocData>;

const HIGH_UNIT = /[\uD800-\uFFFF]/;
const HIGH_UNITS = /[\uD800-\uFFFF]/g;
const lift = (unit: string) => String.fromCodePoint(0x10000 + unit.charCodeAt(0) - 0xd800);
// eslint-disable-next-line no-control-regex -- the control characters are exactly what must be escaped
const LOW_UNIT = /[\x00-\x02]/;
// eslint-disable-next-line no-control-regex
const LOW_UNITS = /[\x00-\x02]/g;
const escapeLow = (unit: string) => ESCAPE + String.fromCharCode(FIRST_PLAIN + unit.charCodeAt(0));
/** A code unit a string part cannot hold as it is: one to escape (LOW_UNIT) or to lift (HIGH_UNIT). */
// eslint-disable-next-line no-control-regex
const UNPLAIN_UNIT = /[\x00-\x02\uD800-\uFFFF]/;

/** Maps UTF-16 code units >= U+D800 to code points above U+FFFF, keeping their order. */
function sqlOrderable(value: string): string {
  return HIGH_UNIT.test(value) ? value.replace(HIGH_UNITS, lift) : value;
}

/** HIGHEST as a range bound holds it: lifted, as every string part is. */
const HIGHEST_PART = sqlOrderable(HIGHEST);

/**
 * The part of a present string value, as SQLite orders it. NOTE: the only part that can hold a code unit from
 * U+D800 up (numbers and booleans are digits, the marks ASCII), so it is lifted here rather than the whole
 * index string: most values are plain, and one test of the value spares a sync ~0.1 s (a million index strings).
 */
function stringPart(value: string): string {
  if (!UNPLAIN_UNIT.test(value)) return STRING_MARK + value + END;
  return STRING_MARK + sqlOrderable(LOW_UNIT.test(value) ? value.replace(LOW_UNITS, escapeLow) : value) + END;
}

type FieldType = 'string' | 'number' | 'boolean';
type Meta = ReturnType<typeof getIndexMeta<Record<string, unknown>>>[number];

function fieldType(meta: Meta): FieldType {
  const type = meta.schemaPart.type as string;
  return type === 'integer' ? 'number' : (type as FieldType);
}

/** The part of a present value of one field (a query bound or a stored value). */
function valuePart(meta: Meta, type: FieldType, value: unknown): string {
  if (type === 'string') return stringPart(String(value));
  if (type === 'boolean') return value ? '1' : '0';
  return getNumberIndexString(meta.parsedLengths ?? getStringLengthOfIndexNumber(meta.schemaPart), value as number);
}

/** Returns a function computing the stored index string of a document for one index. */
export function indexStringMonad(schema: Schema, index: string[]): (doc: DocData) => string {
  const parts = getIndexMeta(schema, index).map((meta) => {
    const type = fieldType(meta);
    const getValue = meta.getValue;
    return (doc: DocData): string => {
      const value = getValue(doc);
      return value === null || value === undefined ? NULL_MARK : valuePart(meta, type, value);
    };
  });
  return (doc) => {
    let out = '';
    for (const part of parts) out += part(doc);
    return out;
  };
}

export interface IndexRange {
  lower: string;
  upper: string;
  /** Leading index fields that hold one value in the whole range (so the rest gives the order). */
  pinned: number;
  /** False if rows in the range may still fail the selector (null values under a one-sided bound). */
  exact: boolean;
}

const isOpen = (key: RxQueryPlanKey) => key === INDEX_MIN || key === INDEX_MAX;

/**
 * Index range for RxDB's plan keys, in the stored format. A bound part that
 * is open (LOWEST below, HIGHEST above every part) decides the comparison at
 * its own position, so what follows it does not matter, as RxDB's fixed-width
 * bounds made the following fields not matter either.
 */
export function indexRange(
  schema: Schema,
  index: string[],
  startKeys: RxQueryPlanKey[],
  endKeys: RxQueryPlanKey[],
): IndexRange {
  let lower = '';
  let upper = '';
  let pinned = 0;
  let pinning = true;
  let exact = true;
  getIndexMeta(schema, index).forEach((meta, i) => {
    const type = fieldType(meta);
    const start = startKeys[i];
    const end = endKeys[i];
    const nullEq = start === null && end === null;
    lower += nullEq ? NULL_MARK : lowerPart(meta, type, start);
    upper += nullEq ? NULL_MARK : upperPart(meta, type, end);
    if (!nullEq && (start === null || end === null)) exact = false;
    // A one-sided upper bound ($lt) starts below null values, which the matcher rejects.
    if (start === INDEX_MIN && end !== undefined && !isOpen(end)) exact = false;
    if (pinning && start === end && !isOpen(start)) pinned++;
    else pinning = false;
  });
  return { lower, upper, pinned, exact };
}

/** As RxDB's getStartIndexStringFromLowerBound decides per type, in this encoding. */
function lowerPart(meta: Meta, type: FieldType, key: RxQueryPlanKey): string {
  if (key === INDEX_MAX) return HIGHEST_PART;
  if (key === INDEX_MIN || key === null || key === undefined) return LOWEST;
  if (type === 'string' && typeof key !== 'string') return LOWEST;
  return valuePart(meta, type, key);
}

/** As RxDB's getStartIndexStringFromUpperBound decides per type, in this encoding. */
function upperPart(meta: Meta, type: FieldType, key: RxQueryPlanKey): string {
  if (key === INDEX_MIN) return LOWEST;
  if (key === INDEX_MAX || key === null || key === undefined) return HIGHEST_PART;
  if (type === 'string' && typeof key !== 'string') return HIGHEST_PART;
  return valuePart(meta, type, key);
}
