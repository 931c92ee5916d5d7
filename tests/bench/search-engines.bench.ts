/**
 * Search engine choice for issue 13: MiniSearch in memory against SQLite FTS5
 * in a database file, on 100,000 generated entries (shared/sample), each
 * indexing the same text fields (main/services/search-text.ts).
 * Writes tests/bench/results/search-engines.{json,md}. Run once:
 * npx tsx tests/bench/search-engines.bench.ts
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import MiniSearch from 'minisearch';

import { countsForTotal, generateCatalog } from '../../shared/sample';
import type { DocumentData } from '../../main/database';
import { FIELD_BOOST, SEARCH_FIELDS, foldTerm, tokenize } from '../../main/services/search-text';
import { ENTITY_TYPES, entities, titleOf, type EntityType } from '../../shared/entities/registry';
import { machineDescription } from './machine';

const TOTAL = 100_000;
const RUNS = 200;
/** Accents folded, prefix as you type, one typo, two words in a description, a short prefix with many hits. */
const QUERIES = ['reykjavik', 'hallst', 'lofotn', 'filmed train', 'be'];

/** One entry as the engine stores it: its text fields, plus what a hit shows without reading the database. */
interface SearchDocument {
  id: string;
  type: EntityType;
  title: string;
  inTrash: boolean;
  [field: string]: string | boolean;
}

/** The searchable text of a stored document; a list field (aliases) becomes one line per item. */
function toSearchDocument(type: EntityType, document: DocumentData): SearchDocument {
  const searchable: SearchDocument = {
    id: document.id as string,
    type,
    title: titleOf(type, document),
    inTrash: document.deletedAt !== null && document.deletedAt !== undefined,
  };
  for (const field of entities[type].searchFields as string[]) {
    const value = document[field];
    if (typeof value === 'string' && value !== '') searchable[field] = value;
    if (Array.isArray(value)) searchable[field] = value.filter((item) => typeof item === 'string').join('\n');
  }
  return searchable;
}

const catalog = generateCatalog(countsForTotal(TOTAL), 42);
const documents = ENTITY_TYPES.flatMap((type) =>
  (catalog[type] as DocumentData[]).map((document) => toSearchDocument(type, document)),
);

function percentiles(times: number[]) {
  times.sort((a, b) => a - b);
  const at = (q: number) => round(times[Math.min(times.length - 1, Math.floor(q * times.length))]!);
  return { p50: at(0.5), p99: at(0.99) };
}
const round = (n: number) => Math.round(n * 100) / 100;
const heapMb = () => {
  global.gc?.();
  return process.memoryUsage().heapUsed / 1e6;
};

function timeQueries(run: (query: string) => unknown) {
  for (const query of QUERIES) run(query); // warm-up
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    run(QUERIES[i % QUERIES.length]!);
    times.push(performance.now() - start);
  }
  return percentiles(times);
}

function miniSearch() {
  const before = heapMb();
  const start = performance.now();
  const engine = new MiniSearch({
    fields: SEARCH_FIELDS,
    storeFields: ['type', 'title', 'inTrash', ...SEARCH_FIELDS],
    tokenize,
    processTerm: foldTerm,
    searchOptions: {
      boost: FIELD_BOOST,
      prefix: true,
      fuzzy: (term: string) => (term.length >= 5 ? 1 : false),
      combineWith: 'AND',
    },
  });
  engine.addAll(documents);
  const buildMs = performance.now() - start;
  const memoryMb = heapMb() - before;
  const search = timeQueries((query) => engine.search(query).slice(0, 20));
  const json = JSON.stringify(engine);
  const loadStart = performance.now();
  MiniSearch.loadJSON(json, { fields: SEARCH_FIELDS, tokenize, processTerm: foldTerm });
  const loadMs = performance.now() - loadStart;
  return {
    engine: 'MiniSearch 7.2 (in memory)',
    buildMs: round(buildMs),
    firstSearchAfterOpenMs: round(buildMs + search.p50),
    memoryMb: round(memoryMb),
    serializedMb: round(json.length / 1e6),
    loadSerializedMs: round(loadMs),
    ...search,
    typoTolerance: 'built in (fuzzy, one edit from 5 letters)',
  };
}

function fts5() {
  const dir = mkdtempSync(join(tmpdir(), 'curio-fts5-'));
  try {
    const file = join(dir, 'search.db');
    let db = new Database(file);
    db.pragma('journal_mode = WAL');
    const columns = SEARCH_FIELDS.map((field) => `"${field}"`).join(', ');
    db.exec(`CREATE VIRTUAL TABLE search USING fts5(id UNINDEXED, type UNINDEXED, ${columns},
      tokenize = 'unicode61 remove_diacritics 2')`);
    const start = performance.now();
    const insert = db.prepare(
      `INSERT INTO search (id, type, ${columns}) VALUES (?, ?, ${SEARCH_FIELDS.map(() => '?').join(', ')})`,
    );
    db.transaction(() => {
      for (const doc of documents)
        insert.run(doc.id, doc.type, ...SEARCH_FIELDS.map((f) => (doc[f] as string) ?? null));
    })();
    const buildMs = performance.now() - start;
    db.close();
    const weights = SEARCH_FIELDS.map((field) => FIELD_BOOST[field]).join(', ');
    const openStart = performance.now();
    db = new Database(file);
    const query = db.prepare(
      `SELECT id, type, bm25(search, 0, 0, ${weights}) AS score FROM search WHERE search MATCH ? ORDER BY score LIMIT 20`,
    );
    const toMatch = (text: string) =>
      tokenize(text)
        .map((word) => `"${foldTerm(word)}"*`)
        .join(' AND ');
    query.all(toMatch(QUERIES[0]!));
    const firstSearchAfterOpenMs = performance.now() - openStart;
    const search = timeQueries((text) => query.all(toMatch(text)));
    db.close();
    return {
      engine: 'SQLite FTS5 (better-sqlite3, database file)',
      buildMs: round(buildMs),
      firstSearchAfterOpenMs: round(firstSearchAfterOpenMs),
      memoryMb: 0,
      serializedMb: 0,
      loadSerializedMs: 0,
      ...search,
      typoTolerance: 'none: needs an fts5vocab scan and edit-distance code of our own (not measured)',
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const results = [miniSearch(), fts5()];
const dir = resolve(import.meta.dirname, 'results');
mkdirSync(dir, { recursive: true });
const machine = machineDescription();
const load = loadavg()
  .map((n) => n.toFixed(1))
  .join(', ');
const generatedAt = new Date().toISOString();
writeFileSync(
  join(dir, 'search-engines.json'),
  JSON.stringify(
    { generatedAt, machine, loadAverage: load, entries: documents.length, queries: QUERIES, results },
    null,
    2,
  ) + '\n',
);
writeFileSync(
  join(dir, 'search-engines.md'),
  [
    '# Search engines at 100,000 entries',
    '',
    `Generated ${generatedAt} on ${machine}; ${documents.length.toLocaleString('en')} generated entries (shared/sample, seed 42).`,
    `Run once on a loaded shared machine (load average ${load}, other builds and tests running): read the figures as rough.`,
    `Queries, in turn, ${RUNS} runs: ${QUERIES.map((q) => `"${q}"`).join(', ')}. Times in ms; memory is heap growth in MB.`,
    '',
    '| engine | build | first search after open | search p50 | search p99 | memory | serialized | load serialized | typos |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...results.map(
      (r) =>
        `| ${r.engine} | ${r.buildMs} | ${r.firstSearchAfterOpenMs} | ${r.p50} | ${r.p99} | ${r.memoryMb} | ${r.serializedMb} | ${r.loadSerializedMs} | ${r.typoTolerance} |`,
    ),
    '',
  ].join('\n'),
);
console.log(results);
