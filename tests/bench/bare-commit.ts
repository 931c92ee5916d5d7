/**
 * The floor for a local save (issue 16): an entity row and its audit row
 * written in one WAL transaction with synchronous=FULL, straight through
 * better-sqlite3, on the same disk as the profile. bench:core measures it
 * side by side with entities.create/update.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { v7 as uuidv7 } from 'uuid';
import type { Core } from '../../main/core';
import { withBinding } from '../../main/storage/native-binding';

/** A connection to read a database file's page size and `dbstat` through (better-sqlite3's, or its cipher build's). */
export interface PageReader {
  pragma(source: string, options: { simple: true }): unknown;
  prepare(sql: string): { all(): unknown[] };
}

export interface BareCommit {
  /** Inserts one entity row and one audit row, committed and flushed; resolves when durable. */
  save(fields: Record<string, unknown>): Promise<void>;
  /** The connection, to read what a save wrote (`pagesOfSaves`). */
  readonly db: PageReader;
  close(): void;
}

/** Opens `bare-commit.sqlite` in `dir` with the profile's journal settings. */
export function openBareCommit(dir: string): BareCommit {
  const db = new Database(join(dir, 'bare-commit.sqlite'), withBinding());
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  // The same row shape as a collection table (id, rev, deleted, lwt, data); no secondary indexes.
  for (const table of ['entity', 'audit']) {
    db.exec(`CREATE TABLE IF NOT EXISTS ${table} (
      id TEXT PRIMARY KEY NOT NULL, rev TEXT NOT NULL, deleted INTEGER NOT NULL, lwt REAL NOT NULL, data TEXT NOT NULL)`);
  }
  const insertEntity = db.prepare('INSERT INTO entity (id, rev, deleted, lwt, data) VALUES (?, ?, 0, ?, ?)');
  const insertAudit = db.prepare('INSERT INTO audit (id, rev, deleted, lwt, data) VALUES (?, ?, 0, ?, ?)');
  const commit = db.transaction((entity: Record<string, unknown>, audit: Record<string, unknown>) => {
    const now = Date.now();
    insertEntity.run(entity.id, entity.rev, now, JSON.stringify(entity));
    insertAudit.run(audit.id, audit.rev, now, JSON.stringify(audit));
  });
  return {
    db,
    async save(fields) {
      const at = new Date().toISOString();
      const actor = { id: 'bench', name: 'Benchmark' };
      const entity = { id: uuidv7(), rev: randomUUID(), createdAt: at, createdBy: actor, updatedAt: at, ...fields };
      const changes = Object.entries(fields).map(([field, to]) => ({ field, from: null, to }));
      const audit = { id: uuidv7(), rev: randomUUID(), at, actor, action: 'create', entityId: entity.id, changes };
      commit(entity, audit);
    },
    close: () => db.close(),
  };
}

type MeasureInTurn = (runs: number, operations: [string, (i: number) => Promise<unknown>][]) => Promise<void>;
type Caller = ReturnType<Core['createCaller']>;

/** Operations measured on the empty profile, paired with the bare commit they are held against. */
export const LOCAL_SAVE = {
  bare: 'bare commit: entity + audit row (empty profile)',
  create: 'create video (empty profile)',
  update: 'update video (empty profile)',
};

/**
 * What saves of each kind appended to the WAL, on average: pages a save, and pages a save by the table or
 * index they belong to (the database's header page is `sqlite_schema`'s; a save that grows the file writes it).
 */
export type SavePages = Record<string, { perSave: number; saves: number; byOwner: Record<string, number> }>;

/** Saves of each kind whose pages are counted: a b-tree splits or the file grows only now and then. */
const SAVES_COUNTED = 50;

/**
 * Measures the bare commit and entities.create/update on an empty profile, one of each in turn, so the
 * three share the machine's moments alike (the goal is a ratio between them). Then counts the pages more
 * saves of each kind append to the WAL: unlike the times, a count the machine's moments do not move, and
 * each page costs the flushed commit (docs/decisions.md, "Twenty-eighth session").
 * `profile` is the connection of the profile's database file that `call` writes to.
 */
export async function measureLocalSave(
  measure: MeasureInTurn,
  call: Caller,
  profile: { path: string; db: PageReader },
  dir: string,
  runs: number,
): Promise<SavePages> {
  const bare = openBareCommit(dir);
  try {
    let video = await call.entities.create({ type: 'video', fields: { title: 'Bench video' } });
    const create = (i: number) => call.entities.create({ type: 'video', fields: { title: `Bench video ${i}` } });
    const update = async (i: number) => {
      video = await call.entities.update({
        type: 'video',
        id: video.id,
        rev: video.rev,
        fields: { title: `Edited ${i}` },
      });
    };
    await measure(runs, [
      [LOCAL_SAVE.bare, (i) => bare.save({ title: `Bare video ${i}` })],
      [LOCAL_SAVE.create, create],
      [LOCAL_SAVE.update, update],
    ]);
    const bareFile = { path: join(dir, 'bare-commit.sqlite'), db: bare.db };
    return {
      [LOCAL_SAVE.bare]: await pagesOfSaves(bareFile, (i) => bare.save({ title: `Bare video, pages ${i}` })),
      [LOCAL_SAVE.create]: await pagesOfSaves(profile, (i) => create(runs + i)),
      [LOCAL_SAVE.update]: await pagesOfSaves(profile, (i) => update(runs + i)),
    };
  } finally {
    bare.close();
  }
}

/** The WAL's header and each frame's header before its page (sqlite.org/fileformat.html, "WAL File Format"). */
const WAL_HEADER_BYTES = 32;
const FRAME_HEADER_BYTES = 24;

/**
 * The pages `save` appends to the WAL of the database file at `path`, over `SAVES_COUNTED` saves, each named
 * through `dbstat` on `db`. Only a save whose own commit is all the WAL gained is counted: one that started
 * the WAL over (after a checkpoint), or beside which idle work committed too, is left out.
 */
async function pagesOfSaves(
  file: { path: string; db: PageReader },
  save: (i: number) => Promise<unknown>,
): Promise<SavePages[string]> {
  const pageSize = file.db.pragma('page_size', { simple: true }) as number;
  const pages: number[] = [];
  let saves = 0;
  for (let i = 0; saves < SAVES_COUNTED; i++) {
    if (i >= SAVES_COUNTED * 3)
      throw new Error(`Too few saves to ${file.path} committed alone; cannot count their pages.`);
    const appended = await pagesOfOneSave(file.path, pageSize, () => save(i));
    if (!appended) continue;
    pages.push(...appended);
    saves++;
  }
  const owners = pageOwners(file.db);
  const byOwner: Record<string, number> = {};
  for (const page of pages) {
    const owner = owners.get(page) ?? `page ${page}`;
    byOwner[owner] = (byOwner[owner] ?? 0) + 1;
  }
  for (const owner in byOwner) byOwner[owner] = round1(byOwner[owner]! / saves);
  return { perSave: round1(pages.length / saves), saves, byOwner };
}

/**
 * The pages (by number) that `save` appended to the WAL of the database file at `path` in one commit of its
 * own; undefined when the WAL started over meanwhile (a checkpoint) or another commit joined it.
 */
export async function pagesOfOneSave(
  path: string,
  pageSize: number,
  save: () => Promise<unknown>,
): Promise<number[] | undefined> {
  const wal = `${path}-wal`;
  const before = walRun(readFileSync(wal), pageSize);
  await save();
  const after = walRun(readFileSync(wal), pageSize);
  if (!after.salts.equals(before.salts)) return undefined;
  const appended = after.frames.slice(before.frames.length);
  if (appended.filter((frame) => frame.commits).length !== 1) return undefined;
  return appended.map((frame) => frame.page);
}

/**
 * The tables and indexes (by name) whose pages one commit of `save` appended to the WAL of the database file
 * at `path`, read through `db`; should another commit join it, `save` is made again (five attempts, numbered).
 */
export async function ownersOfOneSave(
  path: string,
  db: PageReader,
  save: (attempt: number) => Promise<unknown>,
): Promise<Set<string | undefined>> {
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  for (let attempt = 0; attempt < 5; attempt++) {
    const pages = await pagesOfOneSave(path, pageSize, () => save(attempt));
    if (pages) return new Set(pages.map((page) => pageOwners(db).get(page)));
  }
  throw new Error('No save committed alone in five attempts.');
}

/** Each page of the database that `db` reads, by number: the table or index it belongs to (`dbstat`). */
export function pageOwners(db: PageReader): Map<number, string> {
  const rows = db.prepare('SELECT pageno, name FROM dbstat').all() as { pageno: number; name: string }[];
  return new Map(rows.map((row) => [row.pageno, row.name]));
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * The frames of the WAL's current run, in order: each frame's page, and whether it ends a commit (its header
 * then holds the database's size). A WAL that starts over keeps its size and overwrites from the top, so
 * frames of older runs may follow: those carry other salts than the header's.
 */
function walRun(bytes: Buffer, pageSize: number): { salts: Buffer; frames: { page: number; commits: boolean }[] } {
  const salts = Buffer.from(bytes.subarray(16, 24));
  const frames: { page: number; commits: boolean }[] = [];
  for (
    let at = WAL_HEADER_BYTES;
    at + FRAME_HEADER_BYTES + pageSize <= bytes.length;
    at += FRAME_HEADER_BYTES + pageSize
  ) {
    if (!bytes.subarray(at + 8, at + 16).equals(salts)) break;
    frames.push({ page: bytes.readUInt32BE(at), commits: bytes.readUInt32BE(at + 4) !== 0 });
  }
  return { salts, frames };
}

/** The issue 16 verdict: create/update within 2x of the bare commit at p50 and 3x at p99. */
export function localSaveLines(results: { operation: string; p50: number; p99: number }[]): string[] {
  const bare = results.find((r) => r.operation === LOCAL_SAVE.bare);
  if (!bare) return [];
  const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 10) / 10 : Infinity);
  return [
    `Local save against the bare commit (goal ≤ 2x at p50, ≤ 3x at p99): bare p50 ${bare.p50} ms, p99 ${bare.p99} ms.`,
    ...[LOCAL_SAVE.create, LOCAL_SAVE.update].map((operation) => {
      const r = results.find((x) => x.operation === operation);
      if (!r) return `- ${operation}: not measured`;
      const p50 = ratio(r.p50, bare.p50);
      const p99 = ratio(r.p99, bare.p99);
      return `- ${operation}: ${p50}x at p50 ${p50 <= 2 ? '✓' : '✗'}, ${p99}x at p99 ${p99 <= 3 ? '✓' : '✗'}`;
    }),
  ];
}

/** One line per save kind: its pages a save, and whose they are, most first ("c_video_v0 1, ..."). */
export function savePagesLines(pages: SavePages): string[] {
  return Object.entries(pages).map(([operation, { perSave, saves, byOwner }]) => {
    const owners = Object.entries(byOwner)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([owner, count]) => `${owner} ${count}`)
      .join(', ');
    return `- ${operation}: ${perSave} pages a save over ${saves} saves (${owners})`;
  });
}

/** Writes results/local-save.{json,md}: the local-save rows of a run, quick (CORE_BENCH_LOCAL_SAVE_ONLY) or full. */
export function writeLocalSaveResults(
  dir: string,
  machine: string,
  results: object[],
  pages: SavePages,
  note: string,
): void {
  const generatedAt = new Date().toISOString();
  const typed = results as { operation: string; runs: number; p50: number; p99: number; cpuP50?: number }[];
  writeFileSync(
    join(dir, 'local-save.json'),
    JSON.stringify({ generatedAt, machine, note, results, pagesPerSave: pages }, null, 2) + '\n',
  );
  const md = [
    '# Local save against a bare SQLite commit (issue 16)',
    '',
    `Generated ${generatedAt} on ${machine}. ${note}`,
    '',
    '| operation | runs | p50 | p99 | CPU p50 |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...typed.map((r) => `| ${r.operation} | ${r.runs} | ${r.p50} | ${r.p99} | ${r.cpuP50 ?? ''} |`),
    '',
    ...localSaveLines(typed),
    '',
    'Pages a save appends to the WAL, each a cost of its flushed commit, by table or index:',
    ...savePagesLines(pages),
    '',
  ];
  writeFileSync(join(dir, 'local-save.md'), md.join('\n'));
}
