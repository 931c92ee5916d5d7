import { existsSync } from 'node:fs';
import { addRxPlugin, createRxDatabase, type MangoQuerySelector, type RxCollection, type RxDatabase } from 'rxdb';
import { RxDBLocalDocumentsPlugin } from 'rxdb/plugins/local-documents';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { ENTITY_TYPES, type EntityType } from '../../shared/entities/registry';
import { allRxCollections } from '../../shared/rx-schema';
import { wrappedValidateZodStorage } from '../../shared/rx-zod-validator';
import { loadDeviceIdentity } from './identity';
import { databaseFilePath, openConnection, type DatabaseKey } from '../storage';
import { registeredTables } from '../storage/integrity';
import { createCoreStorage, type CoreStorage } from './storage';

export type { CoreStorage } from './storage';
export type { DeviceIdentity } from './identity';
export { writeInTransaction } from './own-writes';

// Documents are validated by the zod schemas at the storage boundary; RxDB sees plain records.
export type DocumentData = Record<string, unknown>;
export type AnyCollection = RxCollection<DocumentData>;

/**
 * Live and trash selectors. `deletedAt` is null for live entries and indexed
 * (null as the empty index string), so both forms are range scans: every
 * timestamp is greater than '' while null is not, for the index and the
 * query matcher alike.
 */
export const LIVE: MangoQuerySelector<DocumentData> = { deletedAt: { $eq: null } };
export const IN_TRASH: MangoQuerySelector<DocumentData> = { deletedAt: { $gt: '' } };

/** The opened local database: one collection per entity type plus audit and conflicts. */
export interface CurioDatabase {
  db: RxDatabase;
  name: string;
  deviceId: string;
  storageKind: CoreStorage['kind'];
  entities: Record<EntityType, AnyCollection>;
  audit: AnyCollection;
  conflicts: AnyCollection;
  /** Local documents, never replicated: this installation's settings. */
  local: RxDatabase;
  /** Runs `fn` so that all its writes commit together (entity + audit entry). */
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  /** Makes the pulled writes held open durable now (the storage holds them to commit several pages at once). */
  commitPulledWrites(): void;
  /**
   * Calls `listener` when the storage rolls back pulled writes it held open (a full disk, a read-only file):
   * the replication that wrote them must start again from the checkpoint in the file. Returns the unsubscribe.
   */
  onPulledWritesRolledBack(listener: (error: unknown) => void): () => void;
  close(): Promise<void>;
}

addRxPlugin(RxDBLocalDocumentsPlugin);
// Collections of an older schema version are migrated at open with the entity files' steps (SCHEMA-1).
addRxPlugin(RxDBMigrationSchemaPlugin);

/**
 * The collections of the profile's catalog stored at an older schema version than this code's: RxDB
 * migrates them at the next open (SCHEMA-1). Read with a read-only connection, before the open, so the
 * caller can keep a copy of the file first. Empty for a new profile.
 */
export async function collectionsToMigrate(dataDir: string, key: DatabaseKey): Promise<string[]> {
  const file = databaseFilePath(dataDir, (await loadDeviceIdentity(dataDir)).databaseName);
  if (!existsSync(file)) return [];
  const stored = new Map<string, number>();
  const db = openConnection(file, key, { readonly: true, fileMustExist: true });
  try {
    for (const { collection, version } of registeredTables(db))
      stored.set(collection, Math.max(version, stored.get(collection) ?? -1));
  } finally {
    db.close();
  }
  return Object.entries(allRxCollections())
    .filter(([name, { schema }]) => stored.has(name) && stored.get(name)! < schema.version)
    .map(([name]) => name);
}

/** Opens the profile's databases in `dataDir`, their files encrypted with `key` (null: plain). */
export async function openDatabase(dataDir: string, key: DatabaseKey = null): Promise<CurioDatabase> {
  const identity = await loadDeviceIdentity(dataDir);
  const coreStorage = createCoreStorage(dataDir, key);
  const db = await createRxDatabase({
    name: identity.databaseName,
    storage: wrappedValidateZodStorage({ storage: coreStorage.storage }),
    multiInstance: false,
    eventReduce: true,
    closeDuplicates: false,
    allowSlowCount: true,
  });
  const collections = await db.addCollections(allRxCollections());
  /*
   * NOTE: settings are local documents of a second database, not a collection:
   * open-source RxDB allows 13 open collections per process (one core has 7),
   * and the zod-validating wrapper knows only the replicated collections.
   */
  const local = await createRxDatabase({
    name: `${identity.databaseName}-local`,
    storage: coreStorage.storage,
    multiInstance: false,
    closeDuplicates: false,
    localDocuments: true,
  });
  const entities = Object.fromEntries(ENTITY_TYPES.map((type) => [type, collections[type]])) as Record<
    EntityType,
    AnyCollection
  >;
  return {
    db,
    name: identity.databaseName,
    deviceId: identity.deviceId,
    storageKind: coreStorage.kind,
    entities,
    audit: collections.audit as AnyCollection,
    conflicts: collections.conflicts as AnyCollection,
    local,
    transaction: (fn) => coreStorage.transaction(identity.databaseName, fn),
    commitPulledWrites: () => coreStorage.commitPulledWrites(identity.databaseName),
    onPulledWritesRolledBack: (listener) => coreStorage.onPulledWritesRolledBack(identity.databaseName, listener),
    close: async () => {
      await db.close();
      await local.close();
    },
  };
}
