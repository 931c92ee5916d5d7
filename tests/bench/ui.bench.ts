/**
 * UI benchmark: browser mode in Chromium over a core holding 100,000 generated
 * documents. Measures, inside the page, the time from clicking a library in the
 * navigation to its first rows on screen, and from a keystroke in the search box
 * to the results on screen. Writes tests/bench/results/ui.{json,md}.
 * Then "edit to the other screen" (issue 16): a real sync server, two cores each with its own
 * browser-mode host and browser context; A saves a title, and the time runs from the click on Save
 * to the frame that shows the new value in B's open list and in B's open editor (see edit-to-screen.ts).
 * Run: npm run bench:ui (builds the renderer first). UI_BENCH_TOTAL=20000 for a quicker run;
 * UI_BENCH_ONLY=edit runs only the edit measure (UI_BENCH_EDIT_TOTAL documents, UI_BENCH_EDITS edits)
 * and keeps the other measures' last rows in the results.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ensureRendererBuilt, startBrowserHost } from '../../main/browser-host';
import { openCore } from '../../main/core';
import { ENTITY_TYPES } from '../../shared/entities/registry';
import { countsForTotal, generateCatalog } from '../../shared/sample';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../playwright.config';
import { measureEditToOtherScreen } from './edit-to-screen';
import { machineDescription } from './machine';

const TOTAL = Number(process.env.UI_BENCH_TOTAL ?? 100_000);
const EDIT_TOTAL = Number(process.env.UI_BENCH_EDIT_TOTAL ?? Math.min(TOTAL, 10_000));
const EDITS = Number(process.env.UI_BENCH_EDITS ?? 60);
const ONLY_EDIT = process.env.UI_BENCH_ONLY === 'edit';
const OPEN_RUNS = 15;
const SEARCH_RUNS = 30;
/** Per measure, the goal: at p95 for the first two, at p50 and p99 for the edit (issue 16). */
const GOALS = {
  'open library to first rows': { p95: 1000 },
  'keystroke to search results': { p95: 100 },
  'edit to the other screen: list': { p50: 100, p99: 250 },
  'edit to the other screen: editor': { p50: 100, p99: 250 },
} as const;
type Measure = keyof typeof GOALS;
const root = resolve(import.meta.dirname, '../..');

interface Result {
  measure: Measure;
  runs: number;
  p50: number;
  p95: number;
  p99?: number;
  max: number;
  /** The p95 goal of the first two measures (kept for earlier readers of ui.json). */
  goalMs?: number;
  goals?: { p50?: number; p95?: number; p99?: number };
  documents?: number;
  loadAverage?: string[];
}

function summarize(measure: Measure, times: number[], documents: number): Result {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const round = (ms: number) => Math.round(ms * 10) / 10;
  const goals = GOALS[measure];
  const result: Result = {
    measure,
    runs: times.length,
    p50: round(at(0.5)),
    p95: round(at(0.95)),
    p99: round(at(0.99)),
    max: round(sorted.at(-1)!),
    ...('p95' in goals ? { goalMs: goals.p95 } : {}),
    goals,
    documents,
    loadAverage: loadavg().map((n) => n.toFixed(1)),
  };
  console.log(
    `${measure}: p50 ${result.p50} ms, p95 ${result.p95} ms, p99 ${result.p99} ms (load ${result.loadAverage!.join(', ')})`,
  );
  return result;
}

function verdict(r: Result): string {
  const goals = r.goals ?? { p95: r.goalMs };
  const parts = (['p50', 'p95', 'p99'] as const)
    .filter((q) => goals[q] !== undefined)
    .map((q) => `${q} < ${goals[q]} ${(r[q] ?? Infinity) < goals[q]! ? '✓' : '✗'}`);
  return parts.join(', ');
}

// NOTE: the in-page code is plain JavaScript text: tsx would wrap functions handed to
// page.evaluate with a helper (__name) that does not exist in the page.

/** Clicks the Videos library and waits, in the page, for the first row to be painted. */
const OPEN_LIBRARY = `new Promise((done) => {
  const button = [...document.querySelectorAll('nav button')].find((b) => b.textContent.startsWith('Videos'));
  const start = performance.now();
  button.click();
  const check = () => {
    if (document.querySelector('[aria-label="Videos"] .table-row[role="row"]')) requestAnimationFrame(() => done(performance.now() - start));
    else requestAnimationFrame(check);
  };
  check();
})`;

function timeOpenLibrary(page: Page): Promise<number> {
  return page.evaluate(OPEN_LIBRARY) as Promise<number>;
}

/** Arms a timer at the next keydown in the search box that stops when results for `query` are on screen. */
async function armSearchTimer(page: Page, query: string): Promise<void> {
  // keydown for most keys; Playwright types some characters (ø, í) as text input without a keydown.
  // The library's box has the focus (it was just filled); the first search input on the page is the
  // global search in the header, whose keys would never arm this timer.
  await page.evaluate(`(() => {
    const box = document.activeElement;
    window.searchTime = new Promise((done) => {
      let start = null;
      const begin = () => {
        if (start !== null) return;
        start = performance.now();
        const check = () => {
          const status = document.querySelector('[aria-label="Search results"] [role="status"]');
          if (status && status.textContent.includes(${JSON.stringify(`“${query}”`)})) requestAnimationFrame(() => done(performance.now() - start));
          else requestAnimationFrame(check);
        };
        check();
      };
      box.addEventListener('keydown', begin, { once: true });
      box.addEventListener('beforeinput', begin, { once: true });
    });
  })()`);
}

/** The library opening and search measures over one core holding TOTAL documents. */
async function measureOpenAndSearch(browser: Browser, rendererDir: string): Promise<Result[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'curio-ui-bench-'));
  const core = await openCore({ dataDir, actor: { id: 'bench', name: 'Benchmark' } });
  try {
    const loadStart = performance.now();
    const catalog = generateCatalog(countsForTotal(TOTAL), 42);
    for (const type of ENTITY_TYPES) {
      const documents = catalog[type] as unknown as Record<string, unknown>[];
      for (let i = 0; i < documents.length; i += 2000)
        await core.context.database.entities[type].bulkInsert(documents.slice(i, i + 2000));
    }
    console.log(`loaded ${TOTAL} documents in ${((performance.now() - loadStart) / 1000).toFixed(1)} s`);
    const host = await startBrowserHost({ core, port: 0, rendererDir });

    const openTimes: number[] = [];
    for (let run = 0; run < OPEN_RUNS + 2; run++) {
      // A fresh context each run: no cached queries, as when the app has just been opened.
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      const page = await context.newPage();
      await page.goto(host.url);
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('button', { name: /^Videos/ })
        .waitFor();
      const ms = await timeOpenLibrary(page);
      if (run >= 2) openTimes.push(ms); // the first runs warm the core's query paths
      if (process.env.UI_BENCH_DEBUG) console.log('open', run, ms);
      await context.close();
    }

    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(host.url);
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('button', { name: /^Videos/ })
      .click();
    const box = page.getByLabel('Search videos');
    const titles = catalog.video.map((v) => v.title);
    const searchTimes: number[] = [];
    for (let run = 0; run < SEARCH_RUNS + 3; run++) {
      const title = titles[(run * 7919) % titles.length]!;
      // A prefix of the title's longest word, so neither the query nor its prefix ends in a space.
      const word = title.split(' ').reduce((a, b) => (b.length > a.length ? b : a));
      const query = word.slice(0, Math.min(word.length, 3 + (run % 6)));
      await box.fill(query.slice(0, -1));
      if (query.length > 1)
        await page
          .getByRole('status')
          .filter({ hasText: `“${query.slice(0, -1)}”` })
          .waitFor();
      await armSearchTimer(page, query);
      await box.pressSequentially(query.at(-1)!);
      const ms = (await page.evaluate('window.searchTime')) as number;
      if (process.env.UI_BENCH_DEBUG) console.log(run, query, ms);
      if (run >= 3) searchTimes.push(ms); // the first runs warm up the page and the database's caches
      await box.fill('');
    }
    await page.close();
    await host.close();
    return [
      summarize('open library to first rows', openTimes, TOTAL),
      summarize('keystroke to search results', searchTimes, TOTAL),
    ];
  } finally {
    await core.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const outDir = join(root, 'tests/bench/results');
/** The rows of the last run, so a run of one measure keeps the others'. */
function earlierResults(): Result[] {
  const file = join(outDir, 'ui.json');
  if (!existsSync(file)) return [];
  const earlier = JSON.parse(readFileSync(file, 'utf8')) as {
    results: Result[];
    documents?: number;
    loadAverage?: string[];
  };
  // Rows written before results carried their own documents and load average take the file's.
  return earlier.results.map((r) => ({ documents: earlier.documents, loadAverage: earlier.loadAverage, ...r }));
}

const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
try {
  const rendererDir = await ensureRendererBuilt(root, { force: true });
  const fresh: Result[] = ONLY_EDIT ? [] : await measureOpenAndSearch(browser, rendererDir);
  const edits = await measureEditToOtherScreen(browser, {
    rendererDir,
    total: EDIT_TOTAL,
    edits: EDITS,
    warmup: 3,
    debug: Boolean(process.env.UI_BENCH_DEBUG),
  });
  fresh.push(
    summarize('edit to the other screen: list', edits.list, EDIT_TOTAL),
    summarize('edit to the other screen: editor', edits.editor, EDIT_TOTAL),
  );
  const results = (Object.keys(GOALS) as Measure[])
    .map((measure) => fresh.find((r) => r.measure === measure) ?? earlierResults().find((r) => r.measure === measure))
    .filter((r): r is Result => r !== undefined);
  const meta = {
    generatedAt: new Date().toISOString(),
    machine: machineDescription(),
    browser: `Chromium ${browser.version()} (headless)`,
  };
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'ui.json'), JSON.stringify({ ...meta, results }, null, 2) + '\n');
  const rows = results.map(
    (r) =>
      `| ${r.measure} | ${r.documents?.toLocaleString('en') ?? '?'} | ${r.runs} | ${r.p50} | ${r.p95} | ${r.p99 ?? '—'} | ${r.max} | ${verdict(r)} | ${r.loadAverage?.join(', ') ?? '?'} |`,
  );
  writeFileSync(
    join(outDir, 'ui.md'),
    [
      '# UI (browser mode)',
      '',
      `Generated ${meta.generatedAt} on ${meta.machine}, ${meta.browser}.`,
      'Generated documents (shared/sample) on the SQLite storage, served by the browser-mode host;',
      'times measured inside the page, in milliseconds, to the frame that shows the result.',
      `Opening: a fresh browser context per run (no cached data), clicking Videos in the navigation. Search: the last keystroke of a`,
      'prefix (3 to 8 characters) of the longest word of a video title.',
      'Edit to the other screen: a real sync server on 127.0.0.1 and two cores with a browser-mode host each (one process, as',
      '`npm run demo`), one browser context per core; B shows the Videos list and the same video in its editor; from the click on',
      'Save in A to the frame painting the new title in B (shared clock: performance.timeOrigin + now() in both pages).',
      'Each row was measured in its own run (UI_BENCH_ONLY=edit re-runs only the edit rows); the machine is shared, so each',
      'row carries the load average (1, 5, 15 min) at its end.',
      '',
      '| measure | documents | runs | p50 | p95 | p99 | max | goal | load |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |',
      ...rows,
      '',
    ].join('\n'),
  );
} finally {
  await browser.close();
}
