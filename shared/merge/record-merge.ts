import type { Doc } from './field-merge';

/**
 * Two states of one conflict record: a closed record (resolved or dismissed)
 * wins over an open one, so a resolution made by any admin sticks; otherwise
 * the server's state is kept.
 */
export function mergeConflictRecord(local: Doc, server: Doc): Doc {
  if (local.status !== 'open' && server.status === 'open' && local._deleted !== true) return local;
  return server;
}

/** Audit entries are immutable: whatever the server holds is the entry. */
export function mergeAuditEntry(server: Doc): Doc {
  return server;
}
