import { spawn, type ChildProcess, type ChildProcessByStdio } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { EntityDocument } from '../../shared/entities';
import { openTestCore, type TestCore } from './helpers';

const WRITER = resolve(import.meta.dirname, 'fixtures/burst-writer.ts');
let dataDir: string;
let core: TestCore | undefined;
/** The writer of the run in progress: a test that fails or times out must not leave it writing. */
let writer: ChildProcess | undefined;
afterEach(async () => {
  if (writer?.exitCode === null && writer.signalCode === null) writer.kill('SIGKILL');
  await core?.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** Starts the burst writer on `dataDir`; its stdin stays open while this process lives (it stops when it ends). */
function startWriter(): ChildProcessByStdio<Writable, Readable, null> {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dataDir], { stdio: ['pipe', 'pipe', 'inherit'] });
  writer = child;
  return child;
}

/**
 * Runs the burst writer and kills it with SIGKILL `delayMs` after it has
 * acknowledged `acks` writes; the delay moves the kill across the phases of a write.
 */
async function burstThenKill(acks: number, delayMs: number, acknowledged: Map<string, number>): Promise<void> {
  const child = startWriter();
  let count = 0;
  let buffered = '';
  await new Promise<void>((done, fail) => {
    child.on('error', fail);
    child.on('exit', () => done());
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        const [word, id, version] = line.split(' ');
        if (word !== 'ack') continue;
        acknowledged.set(id!, Number(version));
        if (++count === acks) setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    });
  });
  expect(child.signalCode).toBe('SIGKILL');
}

describe('an entity write and its audit entry land together', () => {
  it('after kill -9 in a burst of writes, every surviving revision has its audit entry and no other entry exists', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'curio-kill-'));
    const acknowledged = new Map<string, number>();
    for (const delayMs of [0, 3, 7, 11, 17]) await burstThenKill(40, delayMs, acknowledged);
    core = await openTestCore({ dataDir });

    const documents = (await core.context.database.entities.series.find().exec()).map(
      (doc) => doc.toJSON() as EntityDocument<'series'>,
    );
    const entries = (await core.context.database.audit.find({ sort: [{ at: 'asc' }, { id: 'asc' }] }).exec()).map(
      (doc) => doc.toJSON() as { entityId: string; action: string; changes: { field: string; to: unknown }[] },
    );
    // Every acknowledged write survived.
    for (const [id, version] of acknowledged) {
      const document = documents.find((d) => d.id === id);
      expect(document, `acknowledged entry ${id}`).toBeDefined();
      expect(Number(document!.description!.slice(1))).toBeGreaterThanOrEqual(version);
    }
    // Each surviving version v of an entry has exactly its v + 1 entries: create, then one update per version.
    for (const document of documents) {
      const version = Number(document.description!.slice(1));
      const own = entries.filter((e) => e.entityId === document.id);
      expect(own.map((e) => e.action)).toEqual(['create', ...Array(version).fill('update')]);
      expect(own.at(-1)!.changes.find((c) => c.field === 'description')?.to).toBe(document.description);
    }
    // No entry for a write that did not land.
    const ids = new Set(documents.map((d) => d.id));
    expect(entries.filter((e) => !ids.has(e.entityId))).toEqual([]);
    expect(entries).toHaveLength(documents.reduce((n, d) => n + 1 + Number(d.description!.slice(1)), 0));
  });

  it('the writer stops once the end of its stdin closes, so a test that fails or times out leaves none writing', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'curio-kill-'));
    const child = startWriter();
    const exited = new Promise<void>((done) => child.on('exit', () => done()));
    let acks = 0;
    await new Promise<void>((firstAck) =>
      child.stdout.on('data', (chunk: Buffer) => {
        acks += chunk
          .toString()
          .split('\n')
          .filter((line) => line.startsWith('ack ')).length;
        if (acks > 0) firstAck();
      }),
    );
    child.stdin.end();
    await exited;
    expect(child.signalCode).toBeNull();
    expect(child.exitCode).toBe(0);
  });
});
