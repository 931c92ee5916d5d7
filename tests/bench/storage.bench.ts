/**
 * `npm run bench:storage`: RxDB's own runPerformanceTests on our SQLite
 * storage and on RxDB's memory storage in one run, the ratio to memory for
 * each measure next to the goals of issue 3, plus the live-list first page
 * and count on 100,000 documents and the memory cost of opening that store.
 * Writes tests/bench/results/storage.json and storage.md.
 * BENCH_RUNS (default 10) sets the number of performance-test runs.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RXDB_VERSION } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { runPerformanceTests, type PerformanceTestResult } from 'rxdb/plugins/test-utils';
import { getRxStorageSqlite } from '../../main/storage';
import { fillLarge, firstPage, liveCount, openLarge } from '../storage/fixtures/large-store';

const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const LARGE = 100_000;
const RESULTS = path.resolve('tests/bench/results');

/** RxDB's published ratios of its paid SQLite storage to its memory storage: ours must be lower. */
const GOALS: Record<string, { measure: string; ratio: number }> = {
  'insert 500 documents': { measure: 'insert-documents-500', ratio: 28 },
  query: { measure: 'find-by-query', ratio: 7 },
  count: { measure: '4x-count', ratio: 7 },
  'find by id': { measure: 'find-by-ids-3000', ratio: 5 },
};

const round = (value: number) => Math.round(value * 100) / 100;

async function performance(directory: string) {
  const config = { runs: RUNS, waitBetweenTests: 20, log: false };
  const sqlite = await runPerformanceTests(getRxStorageSqlite({ directory }), 'curio-sqlite', config);
  const memory = await runPerformanceTests(getRxStorageMemory(), 'memory', config);
  const measures = Object.keys(sqlite).filter((key) => typeof sqlite[key] === 'number' && key in memory);
  const timing = (result: PerformanceTestResult, key: string) => result[key] as number;
  const rows = measures
    .filter((key) => !['collectionsAmount', 'docsAmount'].includes(key))
    .map((key) => ({
      measure: key,
      sqliteMs: timing(sqlite, key),
      memoryMs: timing(memory, key),
      ratio: round(timing(sqlite, key) / timing(memory, key)),
    }));
  const goals = Object.entries(GOALS).map(([name, goal]) => {
    const row = rows.find((r) => r.measure === goal.measure);
    return {
      goal: name,
      measure: goal.measure,
      goalRatio: goal.ratio,
      ratio: row?.ratio,
      met: !!row && row.ratio < goal.ratio,
    };
  });
  return { rows, goals };
}

async function largeStore(directory: string) {
  const db = await openLarge(getRxStorageSqlite({ directory }));
  const fillStart = Date.now();
  await fillLarge(db, LARGE);
  const fillSeconds = round((Date.now() - fillStart) / 1000);
  await db.close();

  // Cold: a fresh open, then the first page and count as a live list does.
  const reopened = await openLarge(getRxStorageSqlite({ directory }));
  const samples: { pageMs: number; countMs: number }[] = [];
  let count = 0;
  for (let i = 0; i < 20; i++) {
    const start = globalThis.performance.now();
    const page = await firstPage(reopened);
    const pageEnd = globalThis.performance.now();
    count = await liveCount(reopened);
    samples.push({ pageMs: pageEnd - start, countMs: globalThis.performance.now() - pageEnd });
    const titles = (page as { title: string; deletedAt: unknown }[]).map((doc) => doc.title);
    const live = (page as { deletedAt: unknown }[]).every((doc) => doc.deletedAt === null);
    const sorted = titles.every((title, j) => j === 0 || titles[j - 1]! <= title);
    if (page.length !== 50 || !live || !sorted) throw new Error('the first page is not the first 50 live by title');
  }
  await reopened.close();
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const memory = JSON.parse(
    execFileSync(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', 'tests/storage/fixtures/open-memory.ts', directory],
      {
        encoding: 'utf8',
      },
    ),
  ) as Record<string, number>;
  return {
    documents: LARGE,
    liveDocuments: count,
    fillSeconds,
    firstPageMs: round(median(samples.map((s) => s.pageMs))),
    countMs: round(median(samples.map((s) => s.countMs))),
    goalMs: 20,
    openMemory: memory,
  };
}

function markdown(
  result: Awaited<ReturnType<typeof performance>>,
  large: Awaited<ReturnType<typeof largeStore>>,
): string {
  const lines = [
    '# Storage benchmark',
    '',
    `RxDB ${RXDB_VERSION}, ${os.cpus().length} CPU (${os.cpus()[0]?.model ?? 'unknown'}), Node ${process.version}, ${RUNS} runs of runPerformanceTests.`,
    '',
    '## Goals (ratio to memory storage, lower is better)',
    '',
    '| goal | measure | ours | goal (RxDB SQLite) | met |',
    '|---|---|---|---|---|',
    ...result.goals.map(
      (g) => `| ${g.goal} | ${g.measure} | ${g.ratio}x | < ${g.goalRatio}x | ${g.met ? 'yes' : 'NO'} |`,
    ),
    '',
    '## All measures (ms)',
    '',
    '| measure | curio-sqlite | memory | ratio |',
    '|---|---|---|---|',
    ...result.rows.map((r) => `| ${r.measure} | ${r.sqliteMs} | ${r.memoryMs} | ${r.ratio}x |`),
    '',
    `## ${large.documents.toLocaleString('en')} videos (every tenth in the trash)`,
    '',
    `- first 50 live by title (\`{ deletedAt: null }\`, sort title): ${large.firstPageMs} ms (goal < ${large.goalMs} ms)`,
    `- count of live: ${large.countMs} ms (goal < ${large.goalMs} ms), ${large.liveDocuments} documents`,
    `- opening the store and running both, in a fresh process: RSS +${large.openMemory.rssGrowthMb} MB, heap +${large.openMemory.heapGrowthMb} MB (process RSS ${large.openMemory.rssMb} MB)`,
    `- filling it through RxDB: ${large.fillSeconds} s`,
    '',
  ];
  return lines.join('\n');
}

const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'curio-storage-bench-'));
try {
  const large = await largeStore(path.join(directory, ...[]));
  const perf = await performance(directory);
  fs.mkdirSync(RESULTS, { recursive: true });
  const json = { date: new Date().toISOString(), rxdb: RXDB_VERSION, runs: RUNS, ...perf, large };
  fs.writeFileSync(path.join(RESULTS, 'storage.json'), JSON.stringify(json, null, 2) + '\n');
  fs.writeFileSync(path.join(RESULTS, 'storage.md'), markdown(perf, large));
  console.log(markdown(perf, large));
} finally {
  fs.rmSync(directory, { recursive: true, force: true });
}
