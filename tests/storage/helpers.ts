import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  addRxPlugin,
  createRxDatabase,
  fillWithDefaultSettings,
  getRxReplicationMetaInstanceSchema,
  normalizeMangoQuery,
  prepareQuery,
  randomToken,
  type MangoQuery,
  type RxCollection,
  type RxDatabase,
  type RxDocumentData,
  type RxJsonSchema,
  type RxStorage,
  type RxStorageInstance,
} from 'rxdb';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { getRxStorageSqlite, openConnection, quoteIdentifier, type RxStorageSqlite } from '../../main/storage';
import { META_DOCUMENT_ROW } from '../../main/storage/assumed-masters';
import { auditRxSchema, entityRxSchema } from '../../shared/rx-schema';
import { wrappedValidateZodStorage } from '../../shared/rx-zod-validator';

export type Doc = RxDocumentData<TestDoc>;
export interface TestDoc {
  id: string;
  name: string;
  age: number;
  score?: number;
  deletedAt: string | null;
  tags: string[];
  nested?: { label?: string | null; flag?: boolean };
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Instance = RxStorageInstance<TestDoc, any, any>;

export interface StorageUnderTest {
  name: string;
  /** Persistent storages survive closing all instances; memory keeps its state per process. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  make(directory: string): RxStorage<any, any>;
}

/** The same cases run against both: ours, and RxDB's memory storage as the reference. */
export const STORAGES: StorageUnderTest[] = [
  { name: 'sqlite', make: (directory) => getRxStorageSqlite({ directory }) },
  { name: 'memory', make: () => getRxStorageMemory() },
];

export const testSchema: RxJsonSchema<RxDocumentData<TestDoc>> = fillWithDefaultSettings({
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 40 },
    name: { type: 'string', maxLength: 30 },
    age: { type: 'integer', minimum: 0, maximum: 150, multipleOf: 1 },
    score: { type: 'number', minimum: 0, maximum: 100, multipleOf: 0.01 },
    deletedAt: { type: 'string', maxLength: 24 },
    tags: { type: 'array', items: { type: 'string' } },
    nested: {
      type: 'object',
      properties: { label: { type: 'string', maxLength: 10 }, flag: { type: 'boolean' } },
    },
  },
  required: ['id', 'name', 'age'],
  indexes: ['name', 'age', ['deletedAt', 'name'], ['deletedAt', 'age'], 'nested.label', 'score'],
} as RxJsonSchema<TestDoc>);

export function tempDirectory(): { directory: string; cleanup: () => void } {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'curio-storage-'));
  return { directory, cleanup: () => fs.rmSync(directory, { recursive: true, force: true }) };
}

export async function createInstance(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  storage: RxStorage<any, any>,
  databaseName: string,
  collectionName = 'items',
  schema = testSchema,
): Promise<Instance> {
  return (await storage.createStorageInstance<TestDoc>({
    databaseInstanceToken: randomToken(10),
    databaseName,
    collectionName,
    schema,
    options: {},
    multiInstance: false,
    devMode: false,
  })) as Instance;
}

let lwt = Date.now();
export function doc(fields: Partial<TestDoc> & { id: string }, meta: Partial<Doc> = {}): Doc {
  lwt += 1;
  return {
    name: fields.id,
    age: 30,
    deletedAt: null,
    tags: [],
    ...fields,
    _deleted: false,
    _rev: '1-a',
    _meta: { lwt },
    _attachments: {},
    ...meta,
  } as Doc;
}

/** A new revision of a stored document, as RxDB would write it. */
export function nextRevision(previous: Doc, change: Partial<Doc> = {}): Doc {
  const height = Number(previous._rev.split('-')[0]) + 1;
  lwt += 1;
  return { ...previous, ...change, _rev: `${height}-${randomToken(4)}`, _meta: { lwt } } as Doc;
}

export function prepared(query: MangoQuery<TestDoc>) {
  return prepareQuery<Doc>(testSchema, normalizeMangoQuery(testSchema, query as never));
}

export function uniqueName(prefix: string): string {
  return `${prefix}${randomToken(8).toLowerCase()}`;
}

export type PersonAndAudit = { person: RxCollection; audit: RxCollection };

/** A database of persons and audit entries over `storage` as the core opens it: inside the zod-checking wrapper. */
export async function openCheckedDatabase(storage: RxStorageSqlite): Promise<RxDatabase<PersonAndAudit>> {
  // The audit schema has versions (issue 14), and RxDB needs this plugin for any schema past version 0.
  addRxPlugin(RxDBMigrationSchemaPlugin);
  const db = await createRxDatabase<PersonAndAudit>({
    name: uniqueName('profile'),
    storage: wrappedValidateZodStorage({ storage }),
    multiInstance: false,
  });
  await db.addCollections({ person: { schema: entityRxSchema('person') }, audit: { schema: auditRxSchema() } });
  return db;
}

/** A replicated document's meta row as the file holds it, and the revision of the stored document of that id. */
export interface MetaRowInFile {
  data: string;
  base_rev: string | null;
  entityRev: string;
}

/**
 * The meta row of document `id` in the database file at `file`, read with a connection of its own, from the
 * meta table linked to the collection table named like `entityTable` (a LIKE pattern); undefined without one.
 */
export function metaRowInFile(file: string, id: string, entityTable = '%'): MetaRowInFile | undefined {
  const db = openConnection(file, null, { readonly: true, fileMustExist: true });
  try {
    const link = db
      .prepare('SELECT meta_table, entity_table FROM curio_meta_links WHERE entity_table LIKE ?')
      .get(entityTable) as { meta_table: string; entity_table: string } | undefined;
    if (!link) return undefined;
    const entityRev = db
      .prepare(`SELECT rev FROM ${quoteIdentifier(link.entity_table)} WHERE id = ?`)
      .pluck()
      .get(id) as string;
    const row = db
      .prepare(`SELECT data, base_rev FROM ${quoteIdentifier(link.meta_table)} WHERE id = ?`)
      .get(`${id}|${META_DOCUMENT_ROW}`) as { data: string; base_rev: string | null } | undefined;
    return row && { ...row, entityRev };
  } finally {
    db.close();
  }
}

/**
 * The meta instance RxDB's replication opens for `collection` of `database`, on `storage` (a table of its own,
 * named `rx-replication-meta-<name>`): what a sync's meta rows are written to.
 */
export function openReplicationMeta(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  storage: RxStorage<any, any>,
  database: { token: string; name: string },
  collection: RxCollection,
  name: string,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<RxStorageInstance<any, any, any>> {
  return storage.createStorageInstance({
    databaseInstanceToken: database.token,
    databaseName: database.name,
    collectionName: `rx-replication-meta-${name}`,
    schema: getRxReplicationMetaInstanceSchema(collection.schema.jsonSchema, false),
    options: {},
    multiInstance: false,
    devMode: false,
  });
}

/** A catalog document as the server sends it (shared/sample), pulled into a client. */
type PulledMaster = Record<string, unknown> & { id: string };

/** A pulled document as RxDB's downstream stores it: the server's version, then RxDB's own fields. */
export function pulledRow(master: PulledMaster, lwt: number) {
  return {
    document: Object.assign({}, master, { _deleted: false, _attachments: {}, _rev: '1-pulled', _meta: { lwt } }),
  };
}

/**
 * RxDB's first meta row of a pulled document (meta-instance.js `getMetaWriteRow`): `docData` is the server's
 * version, `rev` names the replication (`1-<its key>`).
 */
export function firstMetaRow(master: PulledMaster, lwt: number, rev: string) {
  return {
    document: {
      id: `${master.id}|0`,
      isCheckpoint: '0',
      itemId: master.id,
      docData: { ...master, _deleted: false },
      _attachments: {},
      _deleted: false,
      _rev: rev,
      _meta: { lwt },
    },
  };
}
