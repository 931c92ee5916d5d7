/**
 * Replication client figures: initial sync of 100,000 documents into an
 * empty client, propagation latency of one edit from client A to client B
 * with 10 clients connected, and catch-up after 1,000 offline edits. Writes
 * tests/bench/results/sync.{json,md}. Run: npm run bench:sync
 *
 * Every client is a real core (SQLite storage, own folder) in its own
 * process, as in the tests; the server runs in this process on 127.0.0.1.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import { login } from '../../main/sync/auth';
import { requestJson } from '../../main/sync/http';
import { ENTITY_TYPES } from '../../shared/entities/registry';
import { countsForTotal, generateCatalog } from '../../shared/sample';
import { ClientProcess } from '../sync/client-process';
import { openTestClient, PASSWORD, startTestServer, type TestClient, type TestServer } from '../sync/harness';

const TOTAL = Number(process.env.BENCH_SYNC_DOCS ?? 100_000);
const CLIENTS = Number(process.env.BENCH_SYNC_CLIENTS ?? 10);
const EDITS = Number(process.env.BENCH_SYNC_EDITS ?? 300);
const OFFLINE_EDITS = Number(process.env.BENCH_SYNC_OFFLINE_EDITS ?? 1000);
/** A folder: CPU profiles of the server (this process) and the client during the initial sync go there. */
const CPU_PROF = process.env.BENCH_SYNC_CPU_PROF;
/** Only the initial sync (paired before/after runs). */
const ONLY_INITIAL = process.env.BENCH_SYNC_ONLY_INITIAL === '1';

const now = () => performance.timeOrigin + performance.now();
const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function until(client: ClientProcess, holds: () => boolean): Promise<void> {
  while (!holds()) await new Promise((resolve) => setTimeout(resolve, 2));
  void client;
}

async function seed(server: TestServer, count: number): Promise<number> {
  const admin = await server.addUser('seeder', 'admin', 'Seeder');
  const actor = { id: admin.id, name: admin.name };
  const tokens = await login(server.url, { username: 'seeder', password: PASSWORD });
  const catalog = generateCatalog(countsForTotal(count), 2026);
  let pushed = 0;
  for (const type of ENTITY_TYPES) {
    const documents = catalog[type].map((document) => ({
      ...document,
      createdBy: actor,
      updatedBy: actor,
      _deleted: false,
    }));
    for (let index = 0; index < documents.length; index += 1000) {
      const rows = documents
        .slice(index, index + 1000)
        .map((document) => ({ assumedMasterState: null, newDocumentState: document }));
      const answer = await requestJson<{ refused: unknown[] }>(server.url, `/v1/sync/${type}/push`, {
        body: { rows },
        accessToken: tokens.accessToken,
      });
      if (answer.refused.length > 0) throw new Error(`Seeding was refused: ${JSON.stringify(answer.refused[0])}`);
      pushed += rows.length;
    }
  }
  return pushed;
}

/** Peak resident memory of a process (Linux: VmHWM), in MiB. */
function peakRssMiB(pid: number | undefined): number | null {
  try {
    const kib = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kib ? Number(kib) / 1024 : null;
  } catch {
    return null;
  }
}

/** Pull answer bytes by encoding (identity: before compression), from the server's metrics. */
async function pulledBytes(server: TestServer): Promise<Record<string, number>> {
  const text = await (await fetch(new URL('/metrics', server.url))).text();
  const bytes: Record<string, number> = {};
  for (const match of text.matchAll(/^curio_sync_pulled_bytes_total\{encoding="(\w+)"\} (\d+)/gm)) {
    bytes[match[1]!] = Number(match[2]);
  }
  return bytes;
}

async function profiled<T>(run: () => Promise<T>): Promise<T> {
  if (!CPU_PROF) return run();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await run();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    mkdirSync(CPU_PROF, { recursive: true });
    writeFileSync(path.join(CPU_PROF, 'server-initial-sync.cpuprofile'), JSON.stringify(profile));
    session.disconnect();
  }
}

async function initialSync(server: TestServer) {
  const client = await openTestClient(server, {
    execArgv: CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF}`] : [],
  });
  await server.addUser('reader', 'editor', 'Reader');
  const wireBefore = client.proxy.bytesToClients;
  const rawBefore = await pulledBytes(server);
  const started = now();
  await profiled(async () => {
    await client.signIn('reader');
    await client.request({ op: 'awaitInSync' });
    await until(client, () => client.status?.phase === 'in-sync');
  });
  const seconds = (now() - started) / 1000;
  const wireBytes = client.proxy.bytesToClients - wireBefore;
  const rawAfter = await pulledBytes(server);
  // A server without the counter (before issue 16) sent everything uncompressed.
  const rawBytes = rawAfter.identity === undefined ? wireBytes : rawAfter.identity - (rawBefore.identity ?? 0);
  const peakRss = peakRssMiB(client.pid);
  const counts: Record<string, { live: number }> = await client.call('entities.counts');
  const documents = Object.values(counts).reduce((sum, count) => sum + count.live, 0);
  // The first edit after the initial sync must not wait behind a re-check of everything held.
  const person = (await client.call('entities.list', { type: 'person', limit: 1 })).items[0];
  const editStarted = now();
  await client.call('entities.update', {
    type: 'person',
    id: person.id,
    rev: person.rev,
    fields: { bio: 'First edit after the initial sync' },
  });
  await until(client, () => client.status?.pending === 0 && client.status.phase === 'in-sync');
  const firstEditMs = now() - editStarted;
  return { client, documents, seconds, firstEditMs, wireBytes, rawBytes, peakRss };
}

async function latency(server: TestServer) {
  const users = await Promise.all(
    Array.from({ length: CLIENTS }, (_, index) => server.addUser(`client${index}`, 'editor', `Client ${index}`)),
  );
  const clients: TestClient[] = [];
  for (const user of users) {
    const client = await openTestClient(server);
    await client.signIn(user.username);
    clients.push(client);
  }
  const [a, b] = clients as [TestClient, TestClient];
  for (const client of clients) await client.request({ op: 'awaitInSync' });
  await b.request({ op: 'watch', collection: 'series' });
  await a.request({ op: 'watch', collection: 'series' });
  const arrivals = new Map<string, number>();
  const saved = new Map<string, number>();
  b.changeListeners.add((change) => arrivals.set(change.rev, change.at));
  a.changeListeners.add((change) => saved.set(change.rev, change.at));
  let current = await a.call('entities.create', { type: 'series', fields: { name: 'Latency series' } });
  await until(b, () => arrivals.has(current.rev));
  let staleRevisions = 0;
  const samples: number[] = [];
  const localWrites: number[] = [];
  for (let index = 0; index < EDITS; index++) {
    const started = now();
    try {
      current = await a.call('entities.update', {
        type: 'series',
        id: current.id,
        rev: current.rev,
        fields: { description: `Edit ${index}` },
      });
    } catch (error) {
      // NOTE: seen once in a full run, not reproduced since: A's copy had a newer revision than A's last save.
      if ((error as { code?: string }).code !== 'CONFLICT') throw error;
      staleRevisions++;
      current = await a.call('entities.get', { type: 'series', id: current.id });
      index--;
      continue;
    }
    localWrites.push(now() - started);
    await until(b, () => arrivals.has(current.rev));
    samples.push(arrivals.get(current.rev)! - saved.get(current.rev)!);
  }
  return { clients, samples, localWriteP50: percentile(localWrites, 50), staleRevisions };
}

async function catchUp(client: TestClient) {
  await client.proxy.setOnline(false);
  await until(client, () => client.status?.phase === 'offline');
  for (let index = 0; index < OFFLINE_EDITS; index++) {
    await client.call('entities.create', { type: 'trip', fields: { name: `Offline trip ${index}` } });
  }
  const pending = client.status?.pending ?? 0;
  const started = now();
  await client.proxy.setOnline(true);
  await until(client, () => client.status?.phase === 'in-sync' && client.status.pending === 0);
  return { seconds: (now() - started) / 1000, pending };
}

async function main() {
  const server = await startTestServer({ heartbeatMs: 15_000 });
  const opened: TestClient[] = [];
  try {
    const seeded = await seed(server, TOTAL);
    console.log(`seeded ${seeded} documents`);
    const initial = await initialSync(server);
    opened.push(initial.client);
    console.log(
      `initial sync: ${initial.documents} documents in ${initial.seconds.toFixed(2)} s; first edit ${initial.firstEditMs.toFixed(1)} ms`,
    );
    console.log(
      `  ${Math.round(initial.documents / initial.seconds)} documents/s; pull answers ${mib(initial.rawBytes)} MiB raw, ` +
        `${mib(initial.wireBytes)} MiB on the wire; client peak RSS ${initial.peakRss?.toFixed(0) ?? '?'} MiB`,
    );
    if (ONLY_INITIAL) return;
    const offline = await catchUp(initial.client);
    console.log(`catch-up of ${OFFLINE_EDITS} offline edits: ${offline.seconds.toFixed(2)} s`);
    await initial.client.dispose();
    opened.length = 0;

    const latencyServer = await startTestServer({ heartbeatMs: 15_000 });
    try {
      const { clients, samples, localWriteP50, staleRevisions } = await latency(latencyServer);
      if (staleRevisions > 0) console.log(`A's save was refused as stale ${staleRevisions} times`);
      console.log(`local save on A (p50): ${localWriteP50.toFixed(1)} ms`);
      opened.push(...clients);
      const p50 = percentile(samples, 50);
      const p99 = percentile(samples, 99);
      console.log(`propagation A -> B with ${CLIENTS} clients: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`);
      await Promise.all(clients.map((client) => client.dispose()));
      opened.length = 0;
      write({ seeded, initial, offline, p50, p99, samples: samples.length, staleRevisions });
    } finally {
      await latencyServer.close();
    }
  } finally {
    await Promise.all(opened.map((client) => client.dispose()));
    await server.close();
  }
}

function write(result: {
  seeded: number;
  initial: {
    documents: number;
    seconds: number;
    firstEditMs: number;
    wireBytes: number;
    rawBytes: number;
    peakRss: number | null;
  };
  offline: { seconds: number; pending: number };
  p50: number;
  p99: number;
  samples: number;
  staleRevisions: number;
}) {
  const figures = {
    generatedAt: new Date().toISOString(),
    machine: `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'cpu'}, Node ${process.version}`,
    initialSync: {
      documents: result.initial.documents,
      seconds: round(result.initial.seconds, 2),
      documentsPerSecond: Math.round(result.initial.documents / result.initial.seconds),
      firstEditAfterSyncMs: round(result.initial.firstEditMs),
      pullBytesRaw: result.initial.rawBytes,
      bytesOnWire: result.initial.wireBytes,
      clientPeakRssMiB: result.initial.peakRss === null ? null : Math.round(result.initial.peakRss),
      goalSeconds: 7,
    },
    propagation: {
      clients: CLIENTS,
      edits: result.samples,
      staleRevisions: result.staleRevisions,
      p50Ms: round(result.p50),
      p99Ms: round(result.p99),
      goalP50Ms: 20,
      goalP99Ms: 50,
    },
    catchUp: {
      offlineEdits: OFFLINE_EDITS,
      seconds: round(result.offline.seconds, 2),
      pendingBeforeReconnect: result.offline.pending,
    },
  };
  const dir = path.join(import.meta.dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'sync.json'), JSON.stringify(figures, null, 2) + '\n');
  const md = `# Replication client

Generated ${figures.generatedAt} on ${figures.machine}.
Every client is a real core on the SQLite storage in its own process; the server (SQLite) runs in the benchmark process on 127.0.0.1.
Size: ${TOTAL} documents, ${CLIENTS} clients, ${EDITS} edits, ${OFFLINE_EDITS} offline edits; load average at the end ${os
    .loadavg()
    .map((load) => load.toFixed(1))
    .join(' / ')} on ${os.cpus().length} cores (other work shares the machine: compare runs made side by side only).

| measure | result | goal |
| --- | ---: | ---: |
| initial sync of ${figures.initialSync.documents} documents into an empty client | ${figures.initialSync.seconds} s (${figures.initialSync.documentsPerSecond} documents/s) | 100,000 in under ${figures.initialSync.goalSeconds} s |
| bytes the server sent for it: pull answers before compression / on the wire (brotli) | ${mib(figures.initialSync.pullBytesRaw)} MiB / ${mib(figures.initialSync.bytesOnWire)} MiB | compressed |
| peak memory (RSS) of the client process | ${figures.initialSync.clientPeakRssMiB ?? '?'} MiB | |
| first edit pushed right after that initial sync | ${figures.initialSync.firstEditAfterSyncMs} ms | no re-check of everything held |
| one edit from A to B, ${CLIENTS} clients connected, p50 (${result.samples} edits) | ${figures.propagation.p50Ms} ms | under 20 ms |
| one edit from A to B, ${CLIENTS} clients connected, p99 | ${figures.propagation.p99Ms} ms | under 50 ms |
| catch-up after ${OFFLINE_EDITS} offline edits (reconnect to in sync) | ${figures.catchUp.seconds} s | |

Latency is measured from the moment A's database emits its saved change until B's database emits the pulled change
(both clocks are this machine's). The local save itself (validation, audit entry, commit) is the core's figure (bench:core).
`;
  writeFileSync(path.join(dir, 'sync.md'), md);
}

await main();
