/**
 * Sync server throughput: push and pull, documents per second and CPU time
 * per 1,000 documents, with 1 and 20 concurrent clients, on SQLite and
 * PostgreSQL. Writes tests/bench/results/server.{json,md}. Run: npm run bench:server
 *
 * The server runs in this process on 127.0.0.1 (clients and server share the
 * CPU, as they would on one small machine). Documents are sample videos of the
 * shared generator, pushed in batches of 100 and pulled in pages of 1000.
 * Pulls are measured twice: uncompressed (`pull`, what the figures before
 * PULL-8 measured) and as the app asks for them (`pull-br`, `br, gzip`: the
 * server compresses every page and the client decodes it).
 *
 * CPU time (process.cpuUsage) is this process's: server and clients, not
 * PostgreSQL's own processes. On a loaded machine it moves far less than
 * documents/s, so it is the figure to compare.
 *
 * Old against new on one machine, alternated so both see the same load:
 * BENCH_SERVER_BASELINE=<checkout of the older commit, node_modules linked>
 * runs the benchmark BENCH_SERVER_PAIRS times (default 3) on each, in turn,
 * each run in its own process, and the report compares the medians.
 * BENCH_SERVER_ADAPTERS=sqlite skips PostgreSQL; BENCH_SERVER_DOCS sets the
 * documents per run (default 20,000).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateCatalog } from '../../shared/sample';
import type * as ServerModule from '../../server';
import type * as Helpers from '../server/helpers';
import { postgresBinDir, startPostgres } from '../server/postgres-fixture';

const TOTAL = Number(process.env.BENCH_SERVER_DOCS ?? 20_000);
const BATCH = 100;
const PAGE = 1000;
const CLIENT_COUNTS = [1, 20];
const ADAPTERS = (process.env.BENCH_SERVER_ADAPTERS ?? 'sqlite,postgres').split(',');
const PAIRS = Number(process.env.BENCH_SERVER_PAIRS ?? 3);
/** What the app's sync client sends (main/sync); Node's fetch alone offers only gzip and deflate. */
const APP_ACCEPT_ENCODING = 'br, gzip';

const THIS_FILE = fileURLToPath(import.meta.url);
const REPO = path.resolve(path.dirname(THIS_FILE), '../..');
/** Set in a child run: the checkout whose server is measured (its own helpers sign in). */
const SERVER_ROOT = process.env.BENCH_SERVER_ROOT ?? REPO;
const CHILD_MARKER = 'BENCH_SERVER_RESULTS ';

type Operation = 'push' | 'pull' | 'pull-br';

interface Result {
  adapter: 'sqlite' | 'postgres';
  operation: Operation;
  clients: number;
  documents: number;
  seconds: number;
  documentsPerSecond: number;
  /** CPU time of this process (server and clients) per 1,000 documents. */
  cpuMsPer1000: number;
  /** Bytes of the answers as sent (pulls only): compressed when the server compressed them. */
  wireBytes?: number;
}

interface Run {
  build: 'current' | 'baseline';
  root: string;
  loadAverage: { before: number; after: number };
  results: Result[];
}

interface Measured {
  documents: number;
  seconds: number;
  cpuMs: number;
  wireBytes: number;
}

async function measured(work: () => Promise<{ documents: number; wireBytes: number }>): Promise<Measured> {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  const { documents, wireBytes } = await work();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpu);
  return { documents, seconds, cpuMs: (used.user + used.system) / 1000, wireBytes };
}

function resultOf(adapter: Result['adapter'], operation: Operation, clients: number, m: Measured): Result {
  return {
    adapter,
    operation,
    clients,
    documents: m.documents,
    seconds: m.seconds,
    documentsPerSecond: Math.round(m.documents / m.seconds),
    cpuMsPer1000: Math.round((m.cpuMs / m.documents) * 1000 * 10) / 10,
    ...(operation === 'push' ? {} : { wireBytes: m.wireBytes }),
  };
}

function catalogFor(actor: { id: string; name: string }, count: number, seed: number) {
  const videos = generateCatalog({ video: count, person: 0, dog: 0, trip: 0, series: 0 }, seed).video;
  return videos.map((video) => ({ ...video, createdBy: actor, updatedBy: actor, _deleted: false }));
}

async function pushAll(api: Helpers.Api, docs: unknown[]): Promise<number> {
  for (let i = 0; i < docs.length; i += BATCH) {
    const rows = docs.slice(i, i + BATCH).map((doc) => ({ assumedMasterState: null, newDocumentState: doc }));
    const response = await api.push('video', rows);
    if (response.status !== 200 || response.body.refused.length)
      throw new Error(`push failed: ${response.text.slice(0, 300)}`);
  }
  return docs.length;
}

/** Pulls the whole collection; the wire bytes are the answers' Content-Length (compressed if they were). */
async function pullAll(api: Helpers.Api, acceptEncoding: string): Promise<{ documents: number; wireBytes: number }> {
  let sequence = 0;
  let documents = 0;
  let wireBytes = 0;
  for (;;) {
    const response = await api.request(
      'POST',
      '/v1/sync/video/pull',
      { checkpoint: { sequence }, limit: PAGE },
      { headers: { 'accept-encoding': acceptEncoding } },
    );
    if (response.status !== 200) throw new Error(`pull failed: ${response.text.slice(0, 300)}`);
    wireBytes += Number(response.headers.get('content-length') ?? Buffer.byteLength(response.text));
    documents += response.body.documents.length;
    if (response.body.documents.length === 0) return { documents, wireBytes };
    sequence = response.body.checkpoint.sequence;
  }
}

async function totals(parts: Promise<{ documents: number; wireBytes: number }>[]) {
  const all = await Promise.all(parts);
  return {
    documents: all.reduce((sum, part) => sum + part.documents, 0),
    wireBytes: all.reduce((sum, part) => sum + part.wireBytes, 0),
  };
}

type Storage = { dataDir: string; databaseUrl?: string };

/** Each client count runs on fresh, empty storage so the runs are comparable. */
async function benchAdapter(adapter: Result['adapter'], freshStorage: () => Promise<Storage>): Promise<Result[]> {
  const { startServer } = (await import(
    pathToFileURL(path.join(SERVER_ROOT, 'server/index.ts')).href
  )) as typeof ServerModule;
  const { PASSWORD, TEST_OPTIONS, login } = (await import(
    pathToFileURL(path.join(SERVER_ROOT, 'tests/server/helpers.ts')).href
  )) as typeof Helpers;
  const results: Result[] = [];
  for (const clients of CLIENT_COUNTS) {
    const server = await startServer({ ...TEST_OPTIONS, ...(await freshStorage()) });
    try {
      await server.createUser({ username: 'bench', name: 'Bench', password: PASSWORD, role: 'editor' });
      // One after the other: parallel tries of one user name from one address count as a flood (AUTH-7).
      const sessions: Awaited<ReturnType<typeof login>>[] = [];
      for (let i = 0; i < clients; i += 1) sessions.push(await login(server.url, 'bench'));
      const share = Math.floor(TOTAL / clients);
      const docs = sessions.map((session, i) => catalogFor(session.actor, share, 1000 + i));
      const push = await measured(async () => ({
        documents: (await Promise.all(sessions.map((session, i) => pushAll(session.api, docs[i]!)))).reduce(
          (a, b) => a + b,
          0,
        ),
        wireBytes: 0,
      }));
      results.push(resultOf(adapter, 'push', clients, push));
      const pull = await measured(() => totals(sessions.map((session) => pullAll(session.api, 'identity'))));
      results.push(resultOf(adapter, 'pull', clients, pull));
      const pullBr = await measured(() => totals(sessions.map((session) => pullAll(session.api, APP_ACCEPT_ENCODING))));
      results.push(resultOf(adapter, 'pull-br', clients, pullBr));
      for (const r of results.slice(-3)) {
        console.error(
          `${r.adapter} ${r.operation} x${r.clients}: ${r.documentsPerSecond} docs/s, ${r.cpuMsPer1000} ms CPU per 1000`,
        );
      }
    } finally {
      await server.close();
    }
  }
  return results;
}

/** One run of every adapter on the server of SERVER_ROOT, with the PostgreSQL note it needs. */
async function runOnce(): Promise<{ results: Result[]; notes: string[] }> {
  const base = mkdtempSync(path.join(os.tmpdir(), 'curio-bench-server-'));
  const results: Result[] = [];
  const notes: string[] = [];
  try {
    const folder = async () => ({ dataDir: mkdtempSync(path.join(base, 'run-')) });
    if (ADAPTERS.includes('sqlite')) results.push(...(await benchAdapter('sqlite', folder)));
    if (!ADAPTERS.includes('postgres')) {
      notes.push('PostgreSQL: left out of this run (BENCH_SERVER_ADAPTERS).');
    } else if (postgresBinDir()) {
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
      notes.push(
        "PostgreSQL: a throwaway local cluster started by the benchmark (fsync off, as in the tests); its processes' CPU is not in the CPU column.",
      );
    } else {
      notes.push('PostgreSQL: not installed here, so not measured.');
    }
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
  return { results, notes };
}

/** One run in its own process on the server of `root`. */
function runChild(build: Run['build'], root: string): { run: Run; notes: string[] } {
  const before = os.loadavg()[0]!;
  const child = spawnSync(process.execPath, ['--import', 'tsx', THIS_FILE], {
    cwd: REPO,
    env: { ...process.env, BENCH_SERVER_ROOT: root, BENCH_SERVER_CHILD: '1' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const line = child.stdout.split('\n').find((each) => each.startsWith(CHILD_MARKER));
  if (child.status !== 0 || !line) throw new Error(`The ${build} run on ${root} failed (exit ${child.status}).`);
  const { results, notes } = JSON.parse(line.slice(CHILD_MARKER.length)) as { results: Result[]; notes: string[] };
  return { run: { build, root, loadAverage: { before, after: os.loadavg()[0]! }, results }, notes };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const keyOf = (r: Result) => `${r.adapter} ${r.operation} ${r.clients}`;

/** Per adapter, operation and client count: the median over the runs of one build. */
function medians(runs: Run[], build: Run['build']): Map<string, Result> {
  const byKey = new Map<string, Result[]>();
  for (const run of runs.filter((each) => each.build === build)) {
    for (const result of run.results) byKey.set(keyOf(result), [...(byKey.get(keyOf(result)) ?? []), result]);
  }
  const out = new Map<string, Result>();
  for (const [key, results] of byKey) {
    out.set(key, {
      ...results[0]!,
      seconds: median(results.map((r) => r.seconds)),
      documentsPerSecond: Math.round(median(results.map((r) => r.documentsPerSecond))),
      cpuMsPer1000: median(results.map((r) => r.cpuMsPer1000)),
    });
  }
  return out;
}

const change = (baseline: number, current: number) =>
  `${current >= baseline ? '+' : ''}${(((current - baseline) / baseline) * 100).toFixed(0)} %`;
const loads = (runs: Run[]) =>
  runs.map((run) => `${run.build} ${run.loadAverage.before.toFixed(1)}→${run.loadAverage.after.toFixed(1)}`).join(', ');

function resultTable(results: Result[]): string[] {
  return [
    '| adapter | operation | clients | documents | seconds | documents/s | CPU ms per 1000 | wire bytes |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...results.map(
      (r) =>
        `| ${r.adapter} | ${r.operation} | ${r.clients} | ${r.documents} | ${r.seconds.toFixed(2)} | ${r.documentsPerSecond} | ${r.cpuMsPer1000.toFixed(1)} | ${r.wireBytes ?? ''} |`,
    ),
  ];
}

function comparisonTable(runs: Run[]): string[] {
  const current = medians(runs, 'current');
  const baseline = medians(runs, 'baseline');
  return [
    '| adapter | operation | clients | documents/s baseline | documents/s current | change | CPU ms/1000 baseline | CPU ms/1000 current | change |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...[...current].flatMap(([key, now]) => {
      const before = baseline.get(key);
      if (!before) return [];
      return [
        `| ${now.adapter} | ${now.operation} | ${now.clients} | ${before.documentsPerSecond} | ${now.documentsPerSecond} | ${change(before.documentsPerSecond, now.documentsPerSecond)} | ${before.cpuMsPer1000.toFixed(1)} | ${now.cpuMsPer1000.toFixed(1)} | ${change(before.cpuMsPer1000, now.cpuMsPer1000)} |`,
      ];
    }),
  ];
}

function writeReport(runs: Run[], notes: string[], baseline: string | null): void {
  const machine = { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', node: process.version };
  const current = [...medians(runs, 'current').values()];
  const report = {
    benchmark: 'server',
    generatedAt: new Date().toISOString(),
    machine,
    documentsPerRun: TOTAL,
    pushBatch: BATCH,
    pullPage: PAGE,
    baseline,
    notes,
    results: current,
    runs,
  };
  const dir = path.join(path.dirname(THIS_FILE), 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'server.json'), `${JSON.stringify(report, null, 2)}\n`);
  const lines = [
    '# Sync server throughput',
    '',
    `Generated ${report.generatedAt} on ${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}; load average (1 min) per run: ${loads(runs)}.`,
    `${TOTAL} sample videos per run, pushed in batches of ${BATCH}, pulled in pages of ${PAGE}; server in-process on 127.0.0.1.`,
    'With 20 clients each pushes its share of the documents, and each pulls all of them.',
    `\`pull\` asks for no compression (as the figures before PULL-8); \`pull-br\` asks \`${APP_ACCEPT_ENCODING}\` as the app does.`,
    'CPU ms per 1000: CPU time of the benchmark process (server and clients) per 1,000 documents.',
    ...notes.map((note) => `- ${note}`),
    '',
    ...(baseline
      ? [
          `Medians of ${PAIRS} alternated runs each; baseline = ${baseline}, current = this checkout.`,
          '',
          ...comparisonTable(runs),
          '',
          'Current, medians:',
          '',
        ]
      : []),
    ...resultTable(current),
    '',
  ];
  writeFileSync(path.join(dir, 'server.md'), lines.join('\n'));
}

async function main(): Promise<void> {
  if (process.env.BENCH_SERVER_CHILD) {
    process.stdout.write(`${CHILD_MARKER}${JSON.stringify(await runOnce())}\n`);
    return;
  }
  const baselineRoot = process.env.BENCH_SERVER_BASELINE ? path.resolve(process.env.BENCH_SERVER_BASELINE) : null;
  if (!baselineRoot) {
    const before = os.loadavg()[0]!;
    const { results, notes } = await runOnce();
    writeReport(
      [{ build: 'current', root: REPO, loadAverage: { before, after: os.loadavg()[0]! }, results }],
      notes,
      null,
    );
    return;
  }
  const commit = spawnSync('git', ['-C', baselineRoot, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' });
  const baseline = `${commit.stdout.trim() || 'unknown commit'} (${baselineRoot})`;
  const runs: Run[] = [];
  let notes: string[] = [];
  for (let pair = 0; pair < PAIRS; pair += 1) {
    // Alternate who goes first, so a load that rises or falls during a pair favours neither.
    const order: [Run['build'], string][] = [
      ['baseline', baselineRoot],
      ['current', REPO],
    ];
    for (const [build, root] of pair % 2 ? order.reverse() : order) {
      const child = runChild(build, root);
      runs.push(child.run);
      notes = child.notes;
    }
  }
  writeReport(runs, notes, baseline);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
