/** A plain JSON document as it travels between replicas. */
export type Doc = Record<string, unknown>;

/** Structural equality of JSON values (key order of objects does not matter). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') {
    // An absent optional field and an explicit undefined are the same thing.
    return a === undefined && b === undefined;
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((item, index) => jsonEqual(item, other[index]));
  }
  const left = a as Doc;
  const right = b as Doc;
  const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
  for (const key of keys) if (!jsonEqual(left[key], right[key])) return false;
  return true;
}

function itemKey(item: unknown): string {
  return typeof item === 'string' ? `s:${item}` : `j:${JSON.stringify(item)}`;
}

/**
 * Merges two edits of one list as sets: the server's list, minus what the
 * local side removed, plus what the local side added (in the local order).
 * Both sides' adds and removes survive.
 */
export function mergeAsSet(base: unknown[], local: unknown[], server: unknown[]): unknown[] {
  const baseKeys = new Set(base.map(itemKey));
  const localKeys = new Set(local.map(itemKey));
  const removedLocally = new Set([...baseKeys].filter((key) => !localKeys.has(key)));
  const result: unknown[] = [];
  const seen = new Set<string>();
  for (const item of server) {
    const key = itemKey(item);
    if (removedLocally.has(key) || seen.has(key)) continue;
    seen.add(key);
    result.push(item);
  }
  for (const item of local) {
    const key = itemKey(item);
    if (baseKeys.has(key) || seen.has(key)) continue;
    seen.add(key);
    result.push(item);
  }
  return result;
}

export interface FieldMergeInput {
  /** The assumed master state both sides started from; null when unknown (every difference is contested). */
  base: Doc | null;
  local: Doc;
  server: Doc;
  /** Fields whose values are lists, merged as sets. */
  arrayFields: ReadonlySet<string>;
  /** Fields left out of the merge (envelope and replication fields the caller sets itself). */
  skip: ReadonlySet<string>;
}

export interface FieldMergeResult {
  merged: Doc;
  /** Fields both sides changed to different values; the server's value was taken. */
  contested: string[];
}

/**
 * Three-way merge per field: a field changed on one side only takes that
 * side; list fields merge as sets; a field both sides changed to different
 * values takes the server's value and is reported as contested.
 */
export function mergeFields({ base, local, server, arrayFields, skip }: FieldMergeInput): FieldMergeResult {
  const merged: Doc = {};
  const contested: string[] = [];
  const fields = new Set([...Object.keys(server), ...Object.keys(local), ...Object.keys(base ?? {})]);
  for (const field of fields) {
    if (skip.has(field) || field.startsWith('_')) continue;
    const value = mergeField(field, base, local, server, arrayFields, contested);
    if (value !== undefined) merged[field] = value;
  }
  return { merged, contested };
}

function mergeField(
  field: string,
  base: Doc | null,
  local: Doc,
  server: Doc,
  arrayFields: ReadonlySet<string>,
  contested: string[],
): unknown {
  const localValue = local[field];
  const serverValue = server[field];
  if (jsonEqual(localValue, serverValue)) return serverValue;
  const baseValue = base ? base[field] : undefined;
  const baseKnown = base !== null;
  if (baseKnown && jsonEqual(localValue, baseValue)) return serverValue;
  if (baseKnown && jsonEqual(serverValue, baseValue)) return localValue;
  if (arrayFields.has(field)) {
    const asList = (value: unknown) => (Array.isArray(value) ? (value as unknown[]) : []);
    return mergeAsSet(asList(baseValue), asList(localValue), asList(serverValue));
  }
  contested.push(field);
  return serverValue;
}
