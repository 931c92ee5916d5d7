/**
 * The floor for a local save (issue 16): an entity row and its audit row
 * written in one WAL transaction with synchronous=FULL, straight through
 * better-sqlite3, on the same disk as the profile. bench:core measures it
 * side by side with entities.create/update.
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { v7 as uuidv7 } from 'uuid';
import type { Core } from '../../main/core';
import { withBinding } from '../../main/storage/native-binding';

export interface BareCommit {
  /** Inserts one entity row and one audit row, committed and flushed; resolves when durable. */
  save(fields: Record<string, unknown>): Promise<void>;
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
 * Measures the bare commit and entities.create/update on an empty profile, one of each in turn, so the
 * three share the machine's moments alike (the goal is a ratio between them).
 */
export async function measureLocalSave(measure: MeasureInTurn, call: Caller, dir: string, runs: number): Promise<void> {
  const bare = openBareCommit(dir);
  try {
    let video = await call.entities.create({ type: 'video', fields: { title: 'Bench video' } });
    await measure(runs, [
      [LOCAL_SAVE.bare, (i) => bare.save({ title: `Bare video ${i}` })],
      [LOCAL_SAVE.create, (i) => call.entities.create({ type: 'video', fields: { title: `Bench video ${i}` } })],
      [
        LOCAL_SAVE.update,
        async (i) => {
          video = await call.entities.update({
            type: 'video',
            id: video.id,
            rev: video.rev,
            fields: { title: `Edited ${i}` },
          });
        },
      ],
    ]);
  } finally {
    bare.close();
  }
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

/** Writes results/local-save.{json,md}: the local-save rows of a run, quick (CORE_BENCH_LOCAL_SAVE_ONLY) or full. */
export function writeLocalSaveResults(dir: string, machine: string, results: object[], note: string): void {
  const generatedAt = new Date().toISOString();
  const typed = results as { operation: string; runs: number; p50: number; p99: number; cpuP50?: number }[];
  writeFileSync(join(dir, 'local-save.json'), JSON.stringify({ generatedAt, machine, note, results }, null, 2) + '\n');
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
  ];
  writeFileSync(join(dir, 'local-save.md'), md.join('\n'));
}
