import type { RxCollection } from 'rxdb';
import type { EntityType } from '../../shared/entities/registry';
import type { Doc } from '../../shared/merge';
import type { Run } from './run';

/** An entry with changes waiting: its local state (null: deleted here) and the server's (null: never sent). */
export interface WaitingEntry {
  type: EntityType;
  id: string;
  local: Doc | null;
  /** Undefined when unknown: without a replication (signed out) the server's version is not known here. */
  server: Doc | null | undefined;
}

/**
 * The waiting entries (`type/id` keys) with their local state and the server's
 * version as the run knows it: the one a viewer's pull holds back (CLIENT-20),
 * else the one the replication assumes the master holds.
 */
export async function waitingEntries(
  keys: string[],
  collections: Record<EntityType, RxCollection<Doc>>,
  run: Run | null,
): Promise<WaitingEntry[]> {
  const byType = new Map<EntityType, string[]>();
  for (const key of keys) {
    const [type, id] = key.split('/') as [EntityType, string];
    const ids = byType.get(type);
    if (ids) ids.push(id);
    else byType.set(type, [id]);
  }
  const result: WaitingEntry[] = [];
  for (const [type, ids] of byType) {
    const local = await collections[type].storageInstance.findDocumentsById(ids, true);
    const localById = new Map(local.map((document) => [String(document.id), document as unknown as Doc]));
    const server = await run?.serverStates(type, ids);
    for (const id of ids) {
      const here = localById.get(id);
      result.push({
        type,
        id,
        local: here && !here._deleted ? here : null,
        server: server ? (server.get(id) ?? null) : undefined,
      });
    }
  }
  return result;
}
