import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseFilePath, getRxStorageSqlite } from '../../main/storage';
import { createInstance, tempDirectory } from './helpers';

const WRITER = path.resolve('tests/storage/fixtures/crash-writer.ts');

const running = new Set<ChildProcess>();

/** Runs the writer until it has acknowledged `count` writes, then kills it with SIGKILL. */
function writeUntilKilled(directory: string, count: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    // `node --import tsx` (not the tsx binary, which forks) so SIGKILL hits the writing process itself.
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, directory], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(child);
    const acknowledged: string[] = [];
    let pending = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      const lines = (pending + chunk.toString()).split('\n');
      pending = lines.pop()!;
      acknowledged.push(...lines);
      if (acknowledged.length >= count && !child.killed) child.kill('SIGKILL');
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code, signal) => {
      running.delete(child);
      if (signal === 'SIGKILL') resolve(acknowledged);
      else reject(new Error(`writer exited with ${code}: ${stderr}`));
    });
  });
}

describe('sqlite storage: durability', () => {
  let temp: ReturnType<typeof tempDirectory>;
  beforeEach(() => {
    temp = tempDirectory();
  });
  afterEach(() => {
    // A failed test must not leave a writer behind.
    for (const child of running) child.kill('SIGKILL');
    temp.cleanup();
  });

  it('keeps every acknowledged write, and transactions whole, after kill -9', async () => {
    const acknowledged = await writeUntilKilled(temp.directory, 400);
    expect(acknowledged.length).toBeGreaterThanOrEqual(400);

    const check = new Database(databaseFilePath(temp.directory, 'crash'));
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    check.close();

    const storage = getRxStorageSqlite({ directory: temp.directory });
    const items = await createInstance(storage, 'crash', 'items');
    const log = await createInstance(storage, 'crash', 'log');
    const found = await items.findDocumentsById(acknowledged, false);
    expect(found.length).toBe(acknowledged.length);

    // Atomicity, acknowledged or not: an odd id is in both collections or in neither.
    const allItems = (await items.getChangedDocumentsSince!(1_000_000)).documents.map((d) => d.id);
    const allLog = new Set((await log.getChangedDocumentsSince!(1_000_000)).documents.map((d) => d.id));
    const oddItems = allItems.filter((id) => Number(id.slice(3)) % 2 === 1);
    expect(oddItems.filter((id) => !allLog.has(id))).toEqual([]);
    expect([...allLog].filter((id) => !allItems.includes(id))).toEqual([]);
    await items.close();
    await log.close();
  });
});
