/**
 * Core benchmark: service calls through the tRPC caller on the real SQLite
 * storage with 100,000 generated documents (and one audit entry each).
 * Writes tests/bench/results/core.{json,md} and local-save.{json,md}. Run: npm run bench:core
 * Optional: CORE_BENCH_TOTAL=20000 for a quicker run; CORE_BENCH_LOCAL_SAVE_ONLY=1 measures only
 * the local save against the bare commit (issue 16) on the empty profile and stops.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { openCore } from '../../main/core';
import type { SqliteInternals } from '../../main/storage';
import { ENTITY_TYPES, titleOf, type EntityType } from '../../shared/entities/registry';
import { countsForTotal, generateCatalog } from '../../shared/sample';
import { localSaveLines, measureLocalSave, savePagesLines, writeLocalSaveResults } from './bare-commit';
import { machineDescription, watchMachineShare, type MachineShare } from './machine';

const TOTAL = Number(process.env.CORE_BENCH_TOTAL ?? 100_000);
const RUNS = 300;
const GOALS: Record<string, number> = {
  'create video': 10,
  'create person': 10,
  'update video': 10,
  'list first page: trips by name, filtered by location': 25,
  'list first page: videos by published date, newest first': 25,
  'first search after opening the profile': 100,
  search: 30,
};

interface Result {
  operation: string;
  runs: number;
  p50: number;
  p99: number;
  mean: number;
  /** Process CPU time per call: what the call costs apart from waiting for the shared machine's cores. */
  cpuP50?: number;
  cpuP99?: number;
  goalMs: number | null;
}

const results: Result[] = [];
/** The search index's size: its tables in the profile's file, and heap growth over the search runs. */
let searchIndex: { diskMb: number; heapMb: number } | undefined;

async function measure(operation: string, runs: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  await measureInTurn(runs, [[operation, fn]]);
}

/**
 * Measures several operations in turn, one call of each per round, so they share whatever the machine
 * does meanwhile (the local-save ratios compare figures taken side by side, not minutes apart).
 */
async function measureInTurn(runs: number, operations: [string, (i: number) => Promise<unknown>][]): Promise<void> {
  for (let i = 0; i < Math.min(20, runs); i++) for (const [, fn] of operations) await fn(i); // warm-up
  const times = operations.map((): number[] => []);
  const cpu = operations.map((): number[] => []);
  for (let i = 0; i < runs; i++) {
    for (const [index, [, fn]] of operations.entries()) {
      forgetCachedQueries();
      const cpuStart = process.cpuUsage();
      const start = performance.now();
      await fn(i + 20);
      times[index]!.push(performance.now() - start);
      const used = process.cpuUsage(cpuStart);
      cpu[index]!.push((used.user + used.system) / 1000);
    }
  }
  operations.forEach(([operation], index) => record(operation, runs, times[index]!, cpu[index]!));
}

function record(operation: string, runs: number, times: number[], cpu: number[]): void {
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const at = (q: number, list = times) => list[Math.min(list.length - 1, Math.floor(q * list.length))]!;
  const result = {
    operation,
    runs,
    p50: round(at(0.5)),
    p99: round(at(0.99)),
    mean: round(times.reduce((s, t) => s + t, 0) / runs),
    cpuP50: round(at(0.5, cpu)),
    cpuP99: round(at(0.99, cpu)),
    goalMs: GOALS[operation] ?? null,
  };
  results.push(result);
  console.log(`${operation}: p50 ${result.p50} ms, p99 ${result.p99} ms`);
}

/**
 * NOTE: RxDB answers a repeated query from its per-collection query cache
 * until the collection changes; emptying that cache (an internal map) before
 * each run makes every measured read go to the storage, as a first load does.
 */
function forgetCachedQueries(): void {
  for (const collection of Object.values(core.context.database.db.collections)) {
    (collection as unknown as { _queryCache: { _map: Map<string, unknown> } })._queryCache._map.clear();
  }
}

function heapMb(): number {
  global.gc?.();
  return process.memoryUsage().heapUsed / 1e6;
}

function searchIndexDiskMb(): number {
  const { file } = core.context.database.entities.video.storageInstance.internals as SqliteInternals;
  const bytes = file
    .readConnection()
    .prepare(`SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'curio\\_search%' ESCAPE '\\'`)
    .pluck()
    .get() as number;
  return round(bytes / 1e6);
}

/**
 * What the machine did besides the measurement, in words; it claims other work shared the machine only when
 * other processes or the host took a quarter of a core or more.
 */
function shareNote(share: MachineShare | undefined): string {
  if (!share) return 'What else the machine did is not known here (no /proc/stat).';
  const cores = (n: number) => `${n.toFixed(2)} of ${cpus().length} cores`;
  const shared = share.othersBusy + share.steal >= 0.25;
  return (
    `During the measurement other processes kept ${cores(share.othersBusy)} busy and the host took ${cores(share.steal)}` +
    (shared ? ': other work shared the machine, so fsync latency weighs on both columns.' : '.')
  );
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

/** Where both result files of a run go (core.* and local-save.*), and the machine they name. */
const RESULTS_DIR = resolve(import.meta.dirname, 'results');
const MACHINE = machineDescription();

const dataDir = mkdtempSync(join(tmpdir(), 'curio-core-bench-'));
const ACTOR = { id: 'bench', name: 'Benchmark' };
let core = await openCore({ dataDir, actor: ACTOR });
let call = core.createCaller();
const { database } = core.context;
try {
  const { file } = database.entities.video.storageInstance.internals as SqliteInternals;
  const profile = { path: file.path, db: file.readConnection() };
  const machineShare = watchMachineShare();
  const pages = await measureLocalSave(measureInTurn, call, profile, dataDir, RUNS);
  console.log([...localSaveLines(results), ...savePagesLines(pages)].join('\n'));
  // Written by the quick run and the full one alike, so it always holds the last measurement of the goal.
  writeLocalSaveResults(
    RESULTS_DIR,
    MACHINE,
    results,
    pages,
    `Empty profile, times in ms. ${shareNote(machineShare())}`,
  );
  if (process.env.CORE_BENCH_LOCAL_SAVE_ONLY) {
    await core.close();
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  }
  const loadStart = performance.now();
  const catalog = generateCatalog(countsForTotal(TOTAL), 42);
  for (const type of ENTITY_TYPES) {
    const documents = catalog[type] as unknown as Record<string, unknown>[];
    for (let i = 0; i < documents.length; i += 2000) {
      const batch = documents.slice(i, i + 2000);
      await database.entities[type].bulkInsert(batch);
      await database.audit.bulkInsert(batch.map((d) => createEntry(type, d)));
    }
  }
  const loadSeconds = (performance.now() - loadStart) / 1000;
  console.log(`loaded ${TOTAL} documents (+ ${TOTAL} audit entries) in ${loadSeconds.toFixed(1)} s`);

  const pick = <T>(list: T[], i: number) => list[(i * 7919) % list.length]!;
  const people = catalog.person;
  const videos = catalog.video;
  const trips = catalog.trip;
  const places = [...new Set(trips.map((t) => t.location!))];

  await measure('get', RUNS, (i) => call.entities.get({ type: 'video', id: pick(videos, i).id }));
  await measure('create video', RUNS, (i) =>
    call.entities.create({
      type: 'video',
      fields: {
        title: `Bench video ${i}`,
        people: [pick(people, i).id, pick(people, i + 1).id],
        tripId: pick(trips, i).id,
      },
    }),
  );
  await measure('create person', RUNS, (i) =>
    call.entities.create({ type: 'person', fields: { name: `Bench Person ${i}` } }),
  );
  const revs = new Map(videos.map((v) => [v.id, v.rev]));
  await measure('update video', RUNS, async (i) => {
    const video = videos[(i * 104_729) % videos.length]!;
    const updated = await call.entities.update({
      type: 'video',
      id: video.id,
      rev: revs.get(video.id)!,
      fields: { description: `Edited ${i}` },
    });
    revs.set(video.id, updated.rev);
  });
  // Page sizes from 50 to 99 rows.
  const pageSize = (i: number) => 50 + (i % 50);
  await measure('list first page: trips by name, filtered by location', RUNS, (i) =>
    call.entities.list({
      type: 'trip',
      sort: { field: 'name', direction: 'asc' },
      filters: { location: pick(places, i) },
      limit: pageSize(i),
    }),
  );
  await measure('list first page: videos by published date, newest first', RUNS, (i) =>
    call.entities.list({ type: 'video', sort: { field: 'publishedAt', direction: 'desc' }, limit: pageSize(i) }),
  );
  await measure('list first page: videos by title', RUNS, (i) =>
    call.entities.list({ type: 'video', sort: { field: 'title', direction: 'asc' }, limit: pageSize(i) }),
  );
  // Durations sort by length in SQL over an expression index, built on the first such list.
  const byDuration = (i: number) =>
    call.entities.list({ type: 'video', sort: { field: 'duration', direction: 'desc' }, limit: pageSize(i) });
  const coldStart = performance.now();
  await byDuration(0);
  const coldMs = round(performance.now() - coldStart);
  // The duration's order column and its index are written with every document (no index is built here).
  const firstDuration = 'first list by duration after the load (its index read cold)';
  results.push({ operation: firstDuration, runs: 1, p50: coldMs, p99: coldMs, mean: coldMs, goalMs: null });
  await measure('list first page: videos by duration, longest first', RUNS, byDuration);
  await measure('list first page: videos longer than 30 minutes, by title', RUNS, (i) =>
    call.entities.list({
      type: 'video',
      filters: { duration: { from: '30:00' } },
      sort: { field: 'title', direction: 'asc' },
      limit: pageSize(i),
    }),
  );

  // The load's bulk writes left their search entries to be made once the app pauses, and the calls above
  // never paused: an app in use makes them in its first idle moments. A search makes them now, on a row of
  // its own, so that the search after opening measures the open alone.
  const catchUpStart = performance.now();
  await call.entities.search({ query: 'lisbon' });
  const catchUpMs = round(performance.now() - catchUpStart);
  const catchUp = 'search that first makes what the load left waiting (no pause since the load)';
  results.push({ operation: catchUp, runs: 1, p50: catchUpMs, p99: catchUpMs, mean: catchUpMs, goalMs: null });

  // As a user starting the app: open the profile, then search at once (the index lives in the database).
  await core.close();
  core = await openCore({ dataDir, actor: ACTOR });
  call = core.createCaller();
  const firstStart = performance.now();
  await call.entities.search({ query: 'lisbon' });
  const firstMs = round(performance.now() - firstStart);
  const first = 'first search after opening the profile';
  results.push({ operation: first, runs: 1, p50: firstMs, p99: firstMs, mean: firstMs, goalMs: GOALS[first]! });
  // Whole words, prefixes as typed (down to one letter), typos, two words, nothing found.
  const queries = [
    ...['walk', 'ann', 'rex', 'lisbon', 'beach day', 'o', 'series 12', 'zzz'],
    ...['be', 't', 'lofotn', 'reykjavk', 'filmed train', 'hallst'],
  ];
  const heapBefore = heapMb();
  await measure('search', RUNS, (i) => call.entities.search({ query: pick(queries, i) }));
  searchIndex = { diskMb: searchIndexDiskMb(), heapMb: round(heapMb() - heapBefore) };

  // 2% of the catalog in the trash.
  const toTrash = videos.slice(0, Math.round(TOTAL * 0.02));
  for (let i = 0; i < toTrash.length; i += 200) {
    await call.trash.trash({ items: toTrash.slice(i, i + 200).map((v) => ({ type: 'video' as const, id: v.id })) });
  }
  await measure('trash list (all types, first page)', RUNS, (i) => call.trash.list({ limit: pageSize(i) }));
  await measure('audit query (newest first page)', RUNS, (i) => call.audit.query({ limit: pageSize(i) }));
  await measure('audit query (one entity type)', RUNS, (i) =>
    call.audit.query({ entityType: 'person', limit: pageSize(i) }),
  );
  await measure('audit query (one entity)', RUNS, (i) => call.audit.query({ entityId: pick(videos, i).id }));
  await measure('counts per type', 50, () => call.entities.counts());

  writeResults(loadSeconds);
} finally {
  await core.close();
  rmSync(dataDir, { recursive: true, force: true });
}

function createEntry(type: EntityType, document: Record<string, unknown>) {
  return {
    id: uuidv7(),
    rev: randomUUID(),
    at: document.createdAt as string,
    actor: document.createdBy as { id: string; name: string },
    device: 'bench',
    action: 'create',
    entityType: type,
    entityId: document.id as string,
    entityTitle: titleOf(type, document),
    changes: [],
  };
}

function writeResults(loadSeconds: number): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const generatedAt = new Date().toISOString();
  writeFileSync(
    join(RESULTS_DIR, 'core.json'),
    JSON.stringify(
      { generatedAt, machine: MACHINE, documents: TOTAL, auditEntries: TOTAL, loadSeconds, searchIndex, results },
      null,
      2,
    ) + '\n',
  );
  const rows = results.map((r) => {
    const verdict = r.goalMs === null ? '' : r.p99 <= r.goalMs ? `≤ ${r.goalMs} ✓` : `≤ ${r.goalMs} ✗`;
    return `| ${r.operation} | ${r.runs} | ${r.p50} | ${r.p99} | ${verdict} | ${r.cpuP50 ?? ''} | ${r.cpuP99 ?? ''} |`;
  });
  const md = [
    '# Core service calls',
    '',
    `Generated ${generatedAt} on ${MACHINE}.`,
    `${TOTAL.toLocaleString('en')} generated documents (shared/sample, seed 42) plus one audit entry each, on the SQLite storage;`,
    `every call goes through the tRPC caller (validation, services, storage). Loading took ${loadSeconds.toFixed(1)} s.`,
    `Times in milliseconds; the goal applies to p99. Load average during the run: ${loadavg()
      .map((n) => n.toFixed(1))
      .join(', ')} (the machine is shared; every write waits for an fsync, synchronous=FULL).`,
    '',
    `Search index (SQLite FTS5 in the profile's file): ${searchIndex?.diskMb ?? '?'} MB on disk, ${searchIndex?.heapMb ?? '?'} MB heap growth over the search runs (run with \`node --expose-gc\` for a steadier figure).`,
    '',
    ...localSaveLines(results),
    '',
    'CPU p50/p99: process CPU time per call (user + system; includes other work on the main thread, such as RxDB events).',
    '',
    '| operation | runs | p50 | p99 | goal | CPU p50 | CPU p99 |',
    '| --- | ---: | ---: | ---: | --- | ---: | ---: |',
    ...rows,
    '',
  ].join('\n');
  writeFileSync(join(RESULTS_DIR, 'core.md'), md);
}
