import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cp, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestCore } from './helpers';

const RUNNER = resolve(import.meta.dirname, 'fixtures/restore-runner.ts');
const ENTRIES = 2000;
let root: string;
let template: string;
let backupPath: string;

/**
 * A profile with ENTRIES series named `old <i>`, and a backup in which every
 * one of them is renamed `new <i>` a day later: restoring it updates them all.
 */
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'curio-restore-kill-'));
  template = join(root, 'template');
  const actor = { id: 'alice', name: 'Alice' };
  const version = (name: string, at: string) => ({
    name,
    createdAt: at,
    createdBy: actor,
    updatedAt: at,
    updatedBy: actor,
  });
  const backup = (prefix: string, at: string) =>
    JSON.stringify({
      format: 'curio-backup',
      version: 1,
      collections: {
        series: ids.map((id, i) => ({
          id,
          rev: randomUUID(),
          ...version(`${prefix} ${i}`, at),
          deletedAt: null,
          deletedBy: null,
        })),
      },
    });
  const ids = Array.from({ length: ENTRIES }, () => uuidv7());
  // The old state is itself restored from a file: fast, and the same write path.
  const core = await openTestCore({ dataDir: template });
  const old = { content: backup('old', new Date().toISOString()) };
  await core.call.backup.restore({ ...old, token: (await core.call.backup.previewRestore(old)).token });
  await core.close();
  await rm(join(template, 'snapshots'), { recursive: true, force: true });
  backupPath = join(root, 'renamed.json');
  await writeFile(backupPath, backup('new', new Date(Date.now() + 86_400_000).toISOString()));
}, 120_000);
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/**
 * Runs a restore in a child process, killed with SIGKILL `delayMs` after it
 * starts (null: never). Reports how it ended, how long the restore ran, and
 * whether its safety snapshot was complete (then the kill fell in the writes).
 */
async function restoreThenKill(dataDir: string, delayMs: number | null) {
  const child = spawn(process.execPath, ['--import', 'tsx', RUNNER, dataDir, backupPath], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  let started = 0;
  await new Promise<void>((done, fail) => {
    child.on('error', fail);
    child.on('exit', () => done());
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output !== 'restoring\n') return;
      started = performance.now();
      if (delayMs !== null) setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
  });
  const snapshots = await readdir(join(dataDir, 'snapshots')).catch(() => []);
  return {
    ended: output.includes('restored') ? 'finished' : 'killed',
    ms: performance.now() - started,
    snapshotDone: snapshots.some((name) => name.endsWith('.json')),
  };
}

/** The series names in a profile, and how many `import` audit entries it has beyond the template's. */
async function stateOf(dataDir: string) {
  const core = await openTestCore({ dataDir });
  try {
    const names = (await core.context.database.entities.series.find().exec()).map((d) => d.get('name') as string);
    // The template's own restore wrote one import entry per entry.
    const imports = (await core.createCaller().audit.count({ action: 'import' })) - ENTRIES;
    return { names, renamed: names.filter((name) => name.startsWith('new')).length, imports };
  } finally {
    await core.close();
  }
}

describe('a restore is all or nothing', () => {
  it('after kill -9 during a restore, the profile holds the whole old state or the whole new one', async () => {
    const copy = async (run: number) => {
      const dataDir = join(root, `run-${run}`);
      await cp(template, dataDir, { recursive: true });
      return dataDir;
    };
    // A run left alone finishes and gives the kills their time scale.
    const full = await copy(0);
    const reference = await restoreThenKill(full, null);
    expect(reference.ended).toBe('finished');
    expect(await stateOf(full)).toMatchObject({ renamed: ENTRIES, imports: ENTRIES });

    const outcomes: string[] = [];
    for (const [index, fraction] of [0, 0.3, 0.55, 0.75, 0.9].entries()) {
      const dataDir = await copy(index + 1);
      const run = await restoreThenKill(dataDir, Math.round(reference.ms * fraction));
      const { names, renamed, imports } = await stateOf(dataDir);
      const label = `kill at ${fraction} of the restore (${run.ended}, snapshot ${run.snapshotDone ? 'done' : 'not done'})`;
      expect(names, label).toHaveLength(ENTRIES);
      expect([0, ENTRIES], `${label}: ${renamed} of ${ENTRIES} renamed`).toContain(renamed);
      expect(imports, `${label}: one import entry per renamed entry`).toBe(renamed);
      outcomes.push(`${renamed === 0 ? 'old' : 'new'}${run.snapshotDone ? ' after snapshot' : ''}`);
    }
    // At least one kill fell before the commit.
    expect(outcomes.some((outcome) => outcome.startsWith('old'))).toBe(true);
    console.log(
      `restore of ${ENTRIES} entries took ${Math.round(reference.ms)} ms; kills left: ${outcomes.join(', ')}`,
    );
  }, 600_000);
});
