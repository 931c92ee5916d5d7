import { REPLICATED_COLLECTIONS, SCHEMA_VERSIONS, parseSchemaVersions } from '../../shared/protocol';

/** What the status says while a server older than this app holds the changes back (SCHEMA-5). */
export const SERVER_BEHIND_REASON =
  'the sync server runs an older version of Curio; your changes wait here until it is upgraded';

/**
 * Whether the server's schema versions (its `x-curio-schema` answer header)
 * are behind this app's: a collection it lacks or holds at a lower version.
 * Then a 426 means "upgrade the server", not "update this app".
 */
export function serverBehind(header: string | null): boolean {
  if (header === null) return false;
  const server = parseSchemaVersions(header, REPLICATED_COLLECTIONS);
  if (!server) return false;
  return Object.entries(SCHEMA_VERSIONS).some(([name, version]) => (server[name] ?? -1) < version);
}
