import {
  getIndexableStringMonad,
  getIndexMeta,
  getStartIndexStringFromLowerBound,
  getStartIndexStringFromUpperBound,
  getStringLengthOfIndexNumber,
  INDEX_MAX,
  INDEX_MIN,
  type RxDocumentData,
  type RxJsonSchema,
  type RxQueryPlanKey,
} from 'rxdb';

/**
 * The strings stored in the index columns. They are RxDB's own index strings
 * (getIndexMeta parts, fixed width per field) with two changes, both so that
 * an index range in SQLite returns exactly what RxDB's query matcher accepts:
 *
 * - NOTE: a null or missing field gets a part of NULL_PART characters, where
 *   RxDB writes '' (spaces) or the clamped minimum number. RxDB's planner
 *   treats `{ field: null }` as satisfied by the index, which then returns
 *   '' and null alike (and trashed entries for `{ deletedAt: null }`); with a
 *   distinct part, `$eq: null` is one exact range, and null still sorts first
 *   as in RxDB's sort comparator.
 * - SQLite compares TEXT as UTF-8 bytes (code point order) while JavaScript
 *   compares UTF-16 code units; `sqlOrderable` maps code units from U+D800 up
 *   above the BMP so both orders agree (emoji in a name sort as in RxDB).
 */
const NULL_CHAR = '\x01';
const LOWEST_CHAR = '\x00';

type DocData = RxDocumentData<Record<string, unknown>>;
type Schema = RxJsonSchema<DocData>;

export interface IndexField {
  field: string;
  type: 'string' | 'number' | 'boolean';
  length: number;
}

const HIGH_UNIT = /[\uD800-\uFFFF]/;
const HIGH_UNITS = /[\uD800-\uFFFF]/g;
const lift = (unit: string) => String.fromCodePoint(0x10000 + unit.charCodeAt(0) - 0xd800);

/** Maps UTF-16 code units >= U+D800 to code points above U+FFFF, keeping their order. */
export function sqlOrderable(value: string): string {
  return HIGH_UNIT.test(value) ? value.replace(HIGH_UNITS, lift) : value;
}

export function indexFields(schema: Schema, index: string[]): IndexField[] {
  return getIndexMeta(schema, index).map((meta) => {
    const type = meta.schemaPart.type as IndexField['type'];
    let length = 1;
    if (type === 'string') length = meta.schemaPart.maxLength as number;
    if (type === 'number' || type === ('integer' as string)) {
      const lengths = getStringLengthOfIndexNumber(meta.schemaPart);
      length = lengths.nonDecimals + lengths.decimals;
    }
    return { field: meta.fieldName, type: type === ('integer' as string) ? 'number' : type, length };
  });
}

/** Returns a function computing the stored index string of a document for one index. */
export function indexStringMonad(schema: Schema, index: string[]): (doc: DocData) => string {
  const rxdbString = getIndexableStringMonad(schema, index);
  const metas = getIndexMeta(schema, index);
  let offset = 0;
  const parts = indexFields(schema, index).map((field, i) => {
    const part = {
      getValue: metas[i]!.getValue,
      offset,
      end: offset + field.length,
      nullPart: NULL_CHAR.repeat(field.length),
    };
    offset = part.end;
    return part;
  });
  return (doc) => {
    let out = rxdbString(doc);
    for (const part of parts) {
      const value = part.getValue(doc);
      if (value === null || value === undefined) out = out.slice(0, part.offset) + part.nullPart + out.slice(part.end);
    }
    return sqlOrderable(out);
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

/** Index range for RxDB's plan keys, in the stored index string format. */
export function indexRange(
  schema: Schema,
  index: string[],
  startKeys: RxQueryPlanKey[],
  endKeys: RxQueryPlanKey[],
): IndexRange {
  const fields = indexFields(schema, index);
  let lower = '';
  let upper = '';
  let pinned = 0;
  let pinning = true;
  let exact = true;
  fields.forEach((field, i) => {
    const start = startKeys[i];
    const end = endKeys[i];
    const nullEq = start === null && end === null;
    lower += nullEq ? NULL_CHAR.repeat(field.length) : lowerPart(schema, field, start);
    upper += nullEq ? NULL_CHAR.repeat(field.length) : upperPart(schema, field, end);
    if (!nullEq && (start === null || end === null)) exact = false;
    // A one-sided upper bound ($lt) starts below null values, which the matcher rejects.
    if (start === INDEX_MIN && end !== undefined && !isOpen(end)) exact = false;
    if (pinning && start === end && !isOpen(start)) pinned++;
    else pinning = false;
  });
  return { lower: sqlOrderable(lower), upper: sqlOrderable(upper), pinned, exact };
}

function lowerPart(schema: Schema, field: IndexField, key: RxQueryPlanKey): string {
  if (key === INDEX_MIN || key === null || key === undefined) return LOWEST_CHAR.repeat(field.length);
  if (key === INDEX_MAX) return INDEX_MAX.repeat(field.length);
  return getStartIndexStringFromLowerBound(schema, [field.field], [key]);
}

function upperPart(schema: Schema, field: IndexField, key: RxQueryPlanKey): string {
  if (key === INDEX_MAX || key === null || key === undefined) return INDEX_MAX.repeat(field.length);
  if (key === INDEX_MIN) return LOWEST_CHAR.repeat(field.length);
  return getStartIndexStringFromUpperBound(schema, [field.field], [key]);
}
