/**
 * The baseline issue 16 measures Curio's initial sync against: PouchDB 9
 * replicating the same catalog from its own server (express-pouchdb on
 * LevelDB) into an empty LevelDB client, batch size 1000, in the same run.
 * The server runs in this process on 127.0.0.1, behind the same counting
 * proxy as Curio's clients; the client is a process of its own
 * (pouchdb-client.ts), as Curio's is.
 */
import { fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import expressPouchDB from 'express-pouchdb';
import PouchDB from 'pouchdb';
import { ENTITY_TYPES } from '../../shared/entities/registry';
import { countsForTotal, generateCatalog } from '../../shared/sample';
import { TcpProxy } from '../sync/tcp-proxy';

/** As the issue measured it; PouchDB's own default is 100. */
export const POUCHDB_BATCH_SIZE = 1000;

export interface PouchDBBaseline {
  documents: number;
  seconds: number;
  documentsPerSecond: number;
  clientCpuSeconds: number;
  clientPeakRssMiB: number;
  bytesOnWire: number;
}

interface ClientReport {
  seconds: number;
  documents: number;
  written: number;
  cpuSeconds: number;
  peakRssMiB: number;
}

/** The catalog bench:sync seeds Curio's server with, as PouchDB documents in one database. */
async function load(database: PouchDB, total: number): Promise<number> {
  const catalog = generateCatalog(countsForTotal(total), 2026);
  let loaded = 0;
  for (const type of ENTITY_TYPES) {
    const documents = catalog[type].map(({ id, ...fields }) => ({ _id: id, type, ...fields }));
    for (let index = 0; index < documents.length; index += 1000) {
      const results = await database.bulkDocs(documents.slice(index, index + 1000));
      const failed = results.find((result) => result.error);
      if (failed) throw new Error(`PouchDB refused a seeded document: ${JSON.stringify(failed)}`);
      loaded += results.length;
    }
  }
  return loaded;
}

function replicateInChild(url: string, folder: string): Promise<ClientReport> {
  const child = fork(path.join(import.meta.dirname, 'pouchdb-client.ts'), [url, folder, String(POUCHDB_BATCH_SIZE)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    let report: ClientReport | null = null;
    child.on('message', (message) => (report = message as ClientReport));
    child.on('error', reject);
    child.on('exit', (code) =>
      report ? resolve(report) : reject(new Error(`the PouchDB client exited with code ${code} before reporting`)),
    );
  });
}

/** PouchDB's server, seeded once: each `replicate()` is one client replicating everything into an empty folder. */
export interface PouchDBBaselineServer {
  replicate(): Promise<PouchDBBaseline>;
  close(): Promise<void>;
}

export async function openPouchDBBaseline(total: number): Promise<PouchDBBaselineServer> {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'curio-pouchdb-baseline-'));
  mkdirSync(path.join(folder, 'server'));
  const ServerPouchDB = PouchDB.defaults({ prefix: path.join(folder, 'server') + path.sep });
  const app = expressPouchDB(ServerPouchDB, {
    mode: 'minimumForPouchDB',
    inMemoryConfig: true,
    logPath: path.join(folder, 'log.txt'),
  });
  const listening = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => listening.once('listening', resolve));
  const serverUrl = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
  const proxy = await TcpProxy.start(serverUrl);
  const database = new ServerPouchDB('catalog');
  const close = async () => {
    await database.close();
    await proxy.close();
    await new Promise((resolve) => listening.close(resolve));
    rmSync(folder, { recursive: true, force: true });
  };
  let loaded: number;
  try {
    loaded = await load(database, total);
  } catch (error) {
    await close();
    throw error;
  }
  let clients = 0;
  return {
    async replicate() {
      const clientFolder = path.join(folder, `client-${++clients}`);
      mkdirSync(clientFolder);
      const wireBefore = proxy.bytesToClients;
      try {
        const report = await replicateInChild(`${proxy.url}/catalog`, clientFolder);
        if (report.documents !== loaded) {
          throw new Error(`PouchDB replicated ${report.documents} of the ${loaded} documents served`);
        }
        return {
          documents: report.documents,
          seconds: report.seconds,
          documentsPerSecond: Math.round(report.documents / report.seconds),
          clientCpuSeconds: report.cpuSeconds,
          clientPeakRssMiB: report.peakRssMiB,
          bytesOnWire: proxy.bytesToClients - wireBefore,
        };
      } finally {
        rmSync(clientFolder, { recursive: true, force: true });
      }
    },
    close,
  };
}
