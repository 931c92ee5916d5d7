/**
 * Sync server throughput: push and pull, documents per second, with 1 and 20
 * concurrent clients, on SQLite and PostgreSQL. Writes
 * tests/bench/results/server.{json,md}. Run: npm run bench:server
 *
 * The server runs in this process on 127.0.0.1 (clients and server share the
 * CPU, as they would on one small machine). Documents are sample videos of the
 * shared generator, pushed in batches of 100 and pulled in pages of 1000.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateCatalog } from '../../shared/sample';
import { startServer, type RunningServer } from '../../server';
import { Api, PASSWORD, TEST_OPTIONS, login } from '../server/helpers';
import { postgresBinDir, startPostgres } from '../server/postgres-fixture';

const TOTAL = Number(process.env.BENCH_SERVER_DOCS ?? 20_000);
const BATCH = 100;
const PAGE = 1000;
const CLIENT_COUNTS = [1, 20];

interface Result {
  adapter: 'sqlite' | 'postgres';
  operation: 'push' | 'pull';
  clients: number;
  documents: number;
  seconds: number;
  documentsPerSecond: number;
}

function catalogFor(actor: { id: string; name: string }, count: number, seed: number) {
  const videos = generateCatalog({ video: count, person: 0, dog: 0, trip: 0, series: 0 }, seed).video;
  return videos.map((video) => ({ ...video, createdBy: actor, updatedBy: actor, _deleted: false }));
}

async function timed(work: () => Promise<number>): Promise<{ documents: number; seconds: number }> {
  const start = process.hrtime.bigint();
  const documents = await work();
  return { documents, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}

async function pushAll(api: Api, docs: unknown[]): Promise<number> {
  for (let i = 0; i < docs.length; i += BATCH) {
    const rows = docs.slice(i, i + BATCH).map((doc) => ({ assumedMasterState: null, newDocumentState: doc }));
    const response = await api.push('video', rows);
    if (response.status !== 200 || response.body.refused.length)
      throw new Error(`push failed: ${response.text.slice(0, 300)}`);
  }
  return docs.length;
}

async function pullAll(api: Api): Promise<number> {
  let sequence = 0;
  let count = 0;
  for (;;) {
    const response = await api.pull('video', sequence, PAGE);
    if (response.status !== 200) throw new Error(`pull failed: ${response.text.slice(0, 300)}`);
    count += response.body.documents.length;
    if (response.body.documents.length === 0) return count;
    sequence = response.body.checkpoint.sequence;
  }
}

type Storage = { dataDir: string; databaseUrl?: string };

/** Each client count runs on fresh, empty storage so the runs are comparable. */
async function benchAdapter(adapter: Result['adapter'], freshStorage: () => Promise<Storage>) {
  const results: Result[] = [];
  for (const clients of CLIENT_COUNTS) {
    const server: RunningServer = await startServer({ ...TEST_OPTIONS, ...(await freshStorage()) });
    try {
      await server.createUser({ username: 'bench', name: 'Bench', password: PASSWORD, role: 'editor' });
      // One after the other: parallel tries of one user name from one address count as a flood (AUTH-7).
      const sessions: Awaited<ReturnType<typeof login>>[] = [];
      for (let i = 0; i < clients; i += 1) sessions.push(await login(server.url, 'bench'));
      const share = Math.floor(TOTAL / clients);
      const docs = sessions.map((session, i) => catalogFor(session.actor, share, 1000 + i));
      const push = await timed(async () => {
        const counts = await Promise.all(sessions.map((session, i) => pushAll(session.api, docs[i]!)));
        return counts.reduce((a, b) => a + b, 0);
      });
      results.push({
        adapter,
        operation: 'push',
        clients,
        ...push,
        documentsPerSecond: Math.round(push.documents / push.seconds),
      });
      const pull = await timed(async () => {
        const counts = await Promise.all(sessions.map((session) => pullAll(session.api)));
        return counts.reduce((a, b) => a + b, 0);
      });
      results.push({
        adapter,
        operation: 'pull',
        clients,
        ...pull,
        documentsPerSecond: Math.round(pull.documents / pull.seconds),
      });
      console.log(
        results
          .slice(-2)
          .map((r) => `${r.adapter} ${r.operation} x${r.clients}: ${r.documentsPerSecond} docs/s`)
          .join('\n'),
      );
    } finally {
      await server.close();
    }
  }
  return results;
}

async function main(): Promise<void> {
  const base = mkdtempSync(path.join(os.tmpdir(), 'curio-bench-server-'));
  const results: Result[] = [];
  const notes: string[] = [];
  try {
    const folder = async () => ({ dataDir: mkdtempSync(path.join(base, 'run-')) });
    results.push(...(await benchAdapter('sqlite', folder)));
    if (postgresBinDir()) {
      const postgres = await startPostgres();
      try {
        results.push(
          ...(await benchAdapter('postgres', async () => ({
            ...(await folder()),
            databaseUrl: await postgres.createDatabase(),
          }))),
        );
      } finally {
        await postgres.stop();
      }
      notes.push('PostgreSQL: a throwaway local cluster started by the benchmark (fsync off, as in the tests).');
    } else {
      notes.push('PostgreSQL: not installed here, so not measured.');
    }
  } finally {
    rmSync(base, { recursive: true, force: true });
  }

  const report = {
    benchmark: 'server',
    generatedAt: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', node: process.version },
    documentsPerRun: TOTAL,
    pushBatch: BATCH,
    pullPage: PAGE,
    notes,
    results,
  };
  const dir = path.join(path.dirname(new URL(import.meta.url).pathname), 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'server.json'), `${JSON.stringify(report, null, 2)}\n`);
  const rows = results.map(
    (r) =>
      `| ${r.adapter} | ${r.operation} | ${r.clients} | ${r.documents} | ${r.seconds.toFixed(2)} | ${r.documentsPerSecond} |`,
  );
  writeFileSync(
    path.join(dir, 'server.md'),
    [
      '# Sync server throughput',
      '',
      `Generated ${report.generatedAt} on ${report.machine.cpus} × ${report.machine.cpuModel}, Node ${report.machine.node}.`,
      `${TOTAL} sample videos per run, pushed in batches of ${BATCH}, pulled in pages of ${PAGE}; server in-process on 127.0.0.1.`,
      'With 20 clients each pushes its share of the documents, and each pulls all of them.',
      ...notes.map((note) => `- ${note}`),
      '',
      '| adapter | operation | clients | documents | seconds | documents/s |',
      '| --- | --- | ---: | ---: | ---: | ---: |',
      ...rows,
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
