import type { z } from 'zod';

/** A stored document as plain data: what the migration steps read and return. */
export type DocumentData = Record<string, unknown>;

/**
 * One earlier version of an entity type: its editable fields as they were, and
 * the pure steps to the next version (`up`) and back from it (`down`).
 * `up` must be deterministic: the client (RxDB migrationStrategies) and the
 * server run it on the same revision and must reach the same document.
 * `down` serves older apps (SCHEMA-3): it drops or renames what they cannot
 * hold; whatever it drops is kept on the server when their edits come back.
 */
export interface EntityVersion {
  fields: z.ZodRawShape;
  up: (document: DocumentData) => DocumentData;
  down: (document: DocumentData) => DocumentData;
}

/** The document schema of each version, oldest first; the last one is the current version. */
export interface VersionedSchemas {
  readonly version: number;
  readonly documentSchemas: readonly z.ZodType[];
}

/**
 * Moves a document from version `from` to version `to` (either way) with the
 * steps of `history` (oldest first; step i goes from version i to i + 1).
 * Tombstone and RxDB bookkeeping fields (`_deleted`, …) travel unchanged.
 */
export function migrateDocument(
  history: readonly EntityVersion[],
  document: DocumentData,
  from: number,
  to: number,
): DocumentData {
  const current = history.length;
  if (from < 0 || to < 0 || from > current || to > current) {
    throw new Error(
      `Cannot migrate a document from version ${from} to ${to}: this app knows versions 0 to ${current}.`,
    );
  }
  let result = document;
  for (let version = from; version < to; version++) result = keepingMeta(result, history[version]!.up);
  for (let version = from; version > to; version--) result = keepingMeta(result, history[version - 1]!.down);
  return result;
}

function keepingMeta(document: DocumentData, step: (document: DocumentData) => DocumentData): DocumentData {
  const meta: DocumentData = {};
  const fields: DocumentData = {};
  for (const [key, value] of Object.entries(document)) (key.startsWith('_') ? meta : fields)[key] = value;
  return { ...step(fields), ...meta };
}

/**
 * A document of the current version rebuilt from an older client's edit
 * (SCHEMA-4): `edited` is that edit migrated up, `stored` the server's
 * current document it was made on. Fields the older version cannot hold
 * (a round trip down and up does not give them back) keep the stored value,
 * unless the edit changed them through a field it does know.
 */
export function keepUnreadable(
  history: readonly EntityVersion[],
  edited: DocumentData,
  stored: DocumentData,
  clientVersion: number,
): DocumentData {
  const current = history.length;
  const roundTrip = migrateDocument(
    history,
    migrateDocument(history, stored, current, clientVersion),
    clientVersion,
    current,
  );
  const result = { ...edited };
  for (const key of new Set([...Object.keys(stored), ...Object.keys(roundTrip)])) {
    if (key.startsWith('_')) continue;
    const lost = !sameValue(stored[key], roundTrip[key]);
    if (lost && sameValue(edited[key], roundTrip[key])) {
      if (key in stored) result[key] = stored[key];
      else delete result[key];
    }
  }
  return result;
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
