import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../server';
import { runCli } from './attack-helpers-sync';
import { TEST_OPTIONS } from './helpers';

/**
 * OPS-7: one server per SQLite data folder. Before, a second `serve` on the folder ran beside the first (each
 * one's live streams missing the other's pushes), and its stop removed the first one's `server.pid`, so a
 * `restore` then replaced the database under the server still running, which went on accepting writes into
 * the replaced file: a user created there was gone for every other process and at its next start.
 */
const root = path.resolve(__dirname, '../..');
const dirs: string[] = [];
const running: RunningServer[] = [];
const children: ChildProcess[] = [];

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'curio-data-dir-lock-'));
  dirs.push(dir);
  return dir;
}

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  await Promise.all(running.splice(0).map((server) => server.close()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** `serve` on `dataDir` as its own process: its address once it listens, or its exit code and output. */
function serve(dataDir: string): Promise<{ child: ChildProcess; url?: string; code?: number | null; output: string }> {
  // As `npm run server` runs it: node itself, so the child is the server (a kill reaches it, and its pid is named).
  const args = [
    '--import',
    'tsx',
    'server/cli.ts',
    'serve',
    '--port',
    '0',
    '--data-dir',
    dataDir,
    '--log-level',
    'warn',
  ];
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  return new Promise((resolve) => {
    const read = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /listening on (http:\/\/\S+) /.exec(output);
      if (match) resolve({ child, url: match[1]!, output });
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code) => resolve({ child, code, output }));
  });
}

describe('OPS-7: one server per SQLite data folder', () => {
  it('OPS-7: a second server on the folder is refused in words, and the first keeps serving', async () => {
    const dataDir = tempDir();
    const first = await startServer({ ...TEST_OPTIONS, dataDir });
    running.push(first);

    const refusal = await startServer({ ...TEST_OPTIONS, dataDir }).then(
      (second) => (running.push(second), 'started'),
      (error: Error) => error.message,
    );
    expect(refusal).toBe(
      `Another Curio sync server (process ${process.pid}) is already running on ${dataDir}. One server at a ` +
        'time can use a SQLite data folder: stop that one first, or give this one its own --data-dir. To run ' +
        'several servers for one team, use PostgreSQL (--database-url).',
    );
    expect((await fetch(`${first.url}/health/ready`)).status).toBe(200);
    await first.createUser({ username: 'ada', name: 'Ada', password: 'plum-kettle-orbit-42', role: 'admin' });

    await running.splice(0)[0]!.close();
    const again = await startServer({ ...TEST_OPTIONS, dataDir });
    running.push(again);
    expect((await fetch(`${again.url}/health/ready`)).status).toBe(200);
  });

  it('OPS-7: `serve` twice on one folder: the second exits 1, restore stays refused; a crash leaves no lock', async () => {
    const dataDir = tempDir();
    const first = await serve(dataDir);
    expect(first.url).toBeDefined();

    const second = await serve(dataDir);
    expect(second.url).toBeUndefined();
    expect(second.code).toBe(1);
    expect(second.output).toContain(
      `Another Curio sync server (process ${first.child.pid}) is already running on ${dataDir}. One server at a time`,
    );
    // The second one's exit must not free the folder for a restore under the first.
    const backup = path.join(dataDir, 'backup.db');
    expect((await runCli('backup', backup, '--data-dir', dataDir)).code).toBe(0);
    const restore = await runCli('restore', backup, '--data-dir', dataDir);
    expect(restore.code).toBe(1);
    expect(restore.stderr).toBe(
      `A Curio sync server (process ${first.child.pid}) is running on ${dataDir}; stop it, then restore.\n`,
    );
    expect((await fetch(`${first.url}/health/ready`)).status).toBe(200);

    // A server that dies without stopping (power cut, kill -9) leaves nothing that blocks the next start.
    const died = new Promise((resolve) => first.child.once('exit', resolve));
    first.child.kill('SIGKILL');
    await died;
    const next = await serve(dataDir);
    expect(next.output).not.toContain('already running');
    expect(next.url).toBeDefined();
  });
});
