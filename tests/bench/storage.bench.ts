/**
 * `npm run bench:storage`: RxDB's own runPerformanceTests on our SQLite
 * storage and on RxDB's memory storage in one run, the ratio to memory for
 * each measure next to the goals of issue 3, plus the live-list first page
 * and count on 100,000 documents and the memory cost of opening that store.
 * Then the cost of encryption at rest (issue 14): plain and encrypted files alternated, in wall and CPU
 * time (CPU time is what to compare under load), for RxDB's measures, opening the 100,000-document store,
 * the check every open runs (invariants and table ends) and the quick_check it leaves to a background worker.
 * Writes tests/bench/results/storage.json and storage.md.
 * BENCH_RUNS (default 10) sets the number of performance-test runs; BENCH_STORAGE_PART=encryption runs only
 * the encryption part and replaces that part of the results written before.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RXDB_VERSION } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { runPerformanceTests, type PerformanceTestResult } from 'rxdb/plugins/test-utils';
import { randomBytes } from 'node:crypto';
import { databaseFilePath, encryptDatabaseFile, getRxStorageSqlite, type DatabaseKey } from '../../main/storage';
import { checkDatabaseFile } from '../../main/storage/integrity';
import { fillLarge, firstPage, LARGE_DB, liveCount, openLarge } from '../storage/fixtures/large-store';
import { machineDescription } from './machine';

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

/** Wall and CPU milliseconds of `fn` (CPU: this process's user + system time, less noisy under load). */
async function timed(fn: () => Promise<unknown> | unknown): Promise<{ wallMs: number; cpuMs: number }> {
  const cpu = process.cpuUsage();
  const start = globalThis.performance.now();
  await fn();
  const used = process.cpuUsage(cpu);
  return { wallMs: globalThis.performance.now() - start, cpuMs: (used.user + used.system) / 1000 };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const ENCRYPTION_MEASURES = ['insert-documents-500', 'find-by-ids-3000', 'find-by-query', '4x-count'];
const ROUNDS = Number(process.env.BENCH_ENCRYPTION_ROUNDS ?? 5);

/**
 * Plain against encrypted (ChaCha20, main/storage/encryption.ts), alternated round by round so load
 * swings hit both: RxDB's write and read measures, then the 100,000-document store (encrypted copy of
 * the plain one) opened cold with its first page and count, and the quick check run at every open.
 */
async function encryptionCost(directory: string) {
  const key = randomBytes(32);
  const variants: { name: 'plain' | 'encrypted'; key: DatabaseKey }[] = [
    { name: 'plain', key: null },
    { name: 'encrypted', key },
  ];
  const perf: Record<string, Record<string, number[]>> = { plain: {}, encrypted: {} };
  const perfCpu: Record<string, number[]> = { plain: [], encrypted: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const variant of round % 2 === 0 ? variants : [...variants].reverse()) {
      const folder = fs.mkdtempSync(path.join(directory, `perf-${variant.name}-`));
      let result: PerformanceTestResult | undefined;
      const { cpuMs } = await timed(async () => {
        result = await runPerformanceTests(getRxStorageSqlite({ directory: folder, key: variant.key }), variant.name, {
          runs: 1,
          waitBetweenTests: 20,
          log: false,
        });
      });
      perfCpu[variant.name]!.push(cpuMs);
      for (const measure of ENCRYPTION_MEASURES) (perf[variant.name]![measure] ??= []).push(result![measure] as number);
      fs.rmSync(folder, { recursive: true, force: true });
    }
  }
  const measures = ENCRYPTION_MEASURES.map((measure) => ({
    measure,
    plainMs: round(median(perf.plain![measure]!)),
    encryptedMs: round(median(perf.encrypted![measure]!)),
    ratio: round(median(perf.encrypted![measure]!) / median(perf.plain![measure]!)),
  }));

  const plainDir = path.join(directory, 'large-plain');
  const encryptedDir = path.join(directory, 'large-encrypted');
  fs.mkdirSync(plainDir);
  fs.mkdirSync(encryptedDir);
  const filled = await openLarge(getRxStorageSqlite({ directory: plainDir }));
  await fillLarge(filled, LARGE);
  await filled.close();
  const plainFile = databaseFilePath(plainDir, LARGE_DB);
  const encryptedFile = databaseFilePath(encryptedDir, LARGE_DB);
  fs.copyFileSync(plainFile, encryptedFile);
  const conversion = await timed(() => encryptDatabaseFile(encryptedFile, key));
  const sizeMb = round(fs.statSync(plainFile).size / 1048576);

  type Sample = 'open' | 'openCpu' | 'openCheck' | 'openCheckCpu' | 'check' | 'checkCpu';
  const samples: Record<string, Record<Sample, number[]>> = {
    plain: { open: [], openCpu: [], openCheck: [], openCheckCpu: [], check: [], checkCpu: [] },
    encrypted: { open: [], openCpu: [], openCheck: [], openCheckCpu: [], check: [], checkCpu: [] },
  };
  for (let round = 0; round < ROUNDS; round++) {
    for (const variant of round % 2 === 0 ? variants : [...variants].reverse()) {
      const folder = variant.key ? encryptedDir : plainDir;
      const file = variant.key ? encryptedFile : plainFile;
      const opened = await timed(async () => {
        const db = await openLarge(getRxStorageSqlite({ directory: folder, key: variant.key }));
        await firstPage(db);
        await liveCount(db);
        await db.close();
      });
      let ok = false;
      const openChecked = await timed(() => {
        ok = checkDatabaseFile(file, 'open', variant.key).ok;
      });
      if (!ok) throw new Error(`the check at open failed on the ${variant.name} store`);
      const checked = await timed(() => {
        ok = checkDatabaseFile(file, 'quick', variant.key).ok;
      });
      if (!ok) throw new Error(`the quick check failed on the ${variant.name} store`);
      const into = samples[variant.name]!;
      into.open.push(opened.wallMs);
      into.openCpu.push(opened.cpuMs);
      into.openCheck.push(openChecked.wallMs);
      into.openCheckCpu.push(openChecked.cpuMs);
      into.check.push(checked.wallMs);
      into.checkCpu.push(checked.cpuMs);
    }
  }
  const large = variants.map(({ name }) => ({
    variant: name,
    openFirstPageCountMs: round(median(samples[name]!.open)),
    openFirstPageCountCpuMs: round(median(samples[name]!.openCpu)),
    openCheckMs: round(median(samples[name]!.openCheck)),
    openCheckCpuMs: round(median(samples[name]!.openCheckCpu)),
    quickCheckMs: round(median(samples[name]!.check)),
    quickCheckCpuMs: round(median(samples[name]!.checkCpu)),
  }));
  return {
    cipher: 'chacha20 (SQLite3 Multiple Ciphers)',
    rounds: ROUNDS,
    loadAverage: os.loadavg().map(round),
    measures,
    performanceTestCpuMs: { plain: round(median(perfCpu.plain!)), encrypted: round(median(perfCpu.encrypted!)) },
    large: { documents: LARGE, fileMb: sizeMb, conversionMs: round(conversion.wallMs), rows: large },
  };
}

function encryptionMarkdown(cost: Awaited<ReturnType<typeof encryptionCost>>): string {
  return [
    '## Encryption at rest: plain vs encrypted',
    '',
    `Cipher ${cost.cipher}; ${cost.rounds} alternated rounds, medians; load average at the end ${cost.loadAverage.join(' / ')}` +
      ' (wall times under load are noisy: compare the CPU times, and re-run on a quiet machine).',
    '',
    '| measure (runPerformanceTests, 1 run per round) | plain ms | encrypted ms | ratio |',
    '|---|---|---|---|',
    ...cost.measures.map((m) => `| ${m.measure} | ${m.plainMs} | ${m.encryptedMs} | ${m.ratio}x |`),
    `| whole runPerformanceTests, CPU ms | ${cost.performanceTestCpuMs.plain} | ${cost.performanceTestCpuMs.encrypted} | ${round(cost.performanceTestCpuMs.encrypted / cost.performanceTestCpuMs.plain)}x |`,
    '',
    `${cost.large.documents.toLocaleString('en')} videos (${cost.large.fileMb} MB file; converting it to encrypted took ${cost.large.conversionMs} ms):`,
    '',
    '| store | open + first page + count, ms | same, CPU ms | check at open, ms | same, CPU ms | quick_check (background worker), ms | same, CPU ms |',
    '|---|---|---|---|---|---|---|',
    ...cost.large.rows.map(
      (r) =>
        `| ${r.variant} | ${r.openFirstPageCountMs} | ${r.openFirstPageCountCpuMs} | ${r.openCheckMs} | ${r.openCheckCpuMs} | ${r.quickCheckMs} | ${r.quickCheckCpuMs} |`,
    ),
    '',
  ].join('\n');
}

function markdown(
  result: Awaited<ReturnType<typeof performance>>,
  large: Awaited<ReturnType<typeof largeStore>>,
): string {
  const lines = [
    '# Storage benchmark',
    '',
    `RxDB ${RXDB_VERSION} on ${machineDescription()}, ${RUNS} runs of runPerformanceTests.`,
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

const ENCRYPTION_HEADING = '## Encryption at rest: plain vs encrypted';
const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'curio-storage-bench-'));
try {
  fs.mkdirSync(RESULTS, { recursive: true });
  if (process.env.BENCH_STORAGE_PART === 'encryption') {
    // Only this part: the rest of the results stay as the last full run wrote them.
    const encryption = await encryptionCost(directory);
    const jsonFile = path.join(RESULTS, 'storage.json');
    const json = JSON.parse(fs.readFileSync(jsonFile, 'utf8')) as Record<string, unknown>;
    fs.writeFileSync(jsonFile, JSON.stringify({ ...json, encryption }, null, 2) + '\n');
    const mdFile = path.join(RESULTS, 'storage.md');
    const before = fs.readFileSync(mdFile, 'utf8').split(ENCRYPTION_HEADING)[0]!.trimEnd();
    fs.writeFileSync(mdFile, `${before}\n\n${encryptionMarkdown(encryption)}`);
    console.log(encryptionMarkdown(encryption));
  } else {
    const large = await largeStore(path.join(directory, ...[]));
    const perf = await performance(directory);
    const encryption = await encryptionCost(directory);
    const json = { date: new Date().toISOString(), rxdb: RXDB_VERSION, runs: RUNS, ...perf, large, encryption };
    fs.writeFileSync(path.join(RESULTS, 'storage.json'), JSON.stringify(json, null, 2) + '\n');
    const text = `${markdown(perf, large)}\n${encryptionMarkdown(encryption)}`;
    fs.writeFileSync(path.join(RESULTS, 'storage.md'), text);
    console.log(text);
  }
} finally {
  fs.rmSync(directory, { recursive: true, force: true });
}
