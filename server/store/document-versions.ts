import { entities, isEntityType } from '../../shared/entities/registry';
import { SCHEMA_VERSIONS } from '../../shared/protocol';
import type { StoredRow } from './types';

/** The schema version this server writes a collection's documents at (SCHEMA-1). */
export function currentVersion(collection: string): number {
  return SCHEMA_VERSIONS[collection] ?? 0;
}

/**
 * A stored document's JSON at the current version. Rows the background
 * migration has not reached yet are migrated as they are read (SCHEMA-6), so
 * everything above the store sees one version only; current rows pass
 * unparsed.
 */
export function upgradedJson(collection: string, json: string, version: number): string {
  const current = currentVersion(collection);
  if (version === current || !isEntityType(collection)) return json;
  if (version > current) {
    throw new Error(
      `A ${collection} document is stored at schema version ${version}, newer than this server's ${current}; run the newer Curio server.`,
    );
  }
  return JSON.stringify(entities[collection].migrate(JSON.parse(json) as Record<string, unknown>, version, current));
}

/** A row read with its `version` column, as the rest of the server sees it. */
export function upgradedRow(collection: string, row: StoredRow & { version: number }): StoredRow {
  return { id: row.id, sequence: row.sequence, json: upgradedJson(collection, row.json, row.version) };
}
