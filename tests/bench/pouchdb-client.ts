/**
 * The PouchDB side of bench:sync's baseline, in a process of its own as
 * Curio's client is: replicates the served database into an empty LevelDB
 * database and reports the time, its own CPU and its peak memory.
 * Forked by pouchdb-baseline.ts with the database URL and a folder.
 */
import path from 'node:path';
import PouchDB from 'pouchdb';

const [url, folder, batchSize] = process.argv.slice(2);
if (!url || !folder || !batchSize) throw new Error('usage: pouchdb-client <database url> <folder> <batch size>');

const local = new PouchDB(path.join(folder, 'client'));
const cpuBefore = process.cpuUsage();
const started = performance.now();
const replicated = await PouchDB.replicate(url, local, { batch_size: Number(batchSize) });
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
const { doc_count: documents } = await local.info();
await local.close();
process.send!({
  seconds,
  documents,
  written: replicated.docs_written,
  cpuSeconds: (cpu.user + cpu.system) / 1e6,
  // maxRSS is in KiB.
  peakRssMiB: process.resourceUsage().maxRSS / 1024,
});
