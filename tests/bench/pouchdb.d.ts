// PouchDB and express-pouchdb ship no types (DefinitelyTyped's pull in @types/node versions that clash with
// ours): the calls the PouchDB baseline of bench:sync makes, no more.
declare module 'pouchdb' {
  interface PutResult {
    id: string;
    ok?: boolean;
    error?: string;
    reason?: string;
  }

  class PouchDB {
    constructor(name: string);
    static defaults(options: { prefix: string }): typeof PouchDB;
    static replicate(
      source: string,
      target: PouchDB,
      options: { batch_size: number },
    ): Promise<{ ok: boolean; docs_written: number }>;
    bulkDocs(documents: object[]): Promise<PutResult[]>;
    info(): Promise<{ doc_count: number }>;
    close(): Promise<void>;
  }
  export default PouchDB;
}

declare module 'express-pouchdb' {
  import type { Server } from 'node:http';
  import type PouchDB from 'pouchdb';

  /** An express application serving the CouchDB HTTP API over the given PouchDB. */
  export default function expressPouchDB(
    pouchdb: typeof PouchDB,
    options: { mode: 'fullCouchDB' | 'minimumForPouchDB'; inMemoryConfig: boolean; logPath: string },
  ): { listen(port: number, host: string): Server };
}
