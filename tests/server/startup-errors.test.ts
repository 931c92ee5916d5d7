import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer, type ServerOptions } from '../../server';
import { TEST_OPTIONS } from './helpers';
import { postgresBinDir, startPostgres, type PostgresFixture } from './postgres-fixture';

/**
 * A server that cannot start says why in words an operator can act on, naming the flag to change, and keeps
 * the system's own message beside them. Before, it printed only Node's, the file system's or PostgreSQL's
 * ("listen EADDRINUSE: address already in use 127.0.0.1:5309", "connect ECONNREFUSED 127.0.0.1:1"), and
 * --tls-cert without --tls-key served plain HTTP without a word.
 */
const dirs: string[] = [];
const running: RunningServer[] = [];

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'curio-startup-'));
  dirs.push(dir);
  return dir;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function refusal(options: ServerOptions): Promise<string> {
  try {
    running.push(await startServer({ ...TEST_OPTIONS, dataDir: tempDir(), ...options }));
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('The server started.');
}

describe('a server that cannot start says why', () => {
  it('a port another program holds', async () => {
    const first = await startServer({ ...TEST_OPTIONS, dataDir: tempDir() });
    running.push(first);
    const message = await refusal({ port: first.port });
    expect(message).toMatch(new RegExp(`^Port ${first.port} on 127\\.0\\.0\\.1 is in use by another program`));
    expect(message).toContain('choose another port with --port');
    expect(message).toContain('EADDRINUSE');
  });

  it('an address that is not this machine', async () => {
    // 203.0.113.0/24 is TEST-NET-3: no machine has it, and no name lookup is needed.
    const message = await refusal({ host: '203.0.113.7' });
    expect(message).toMatch(/^Cannot listen on 203\.0\.113\.7: it is not an address of this machine\. Give --host/);
  });

  it('a data folder that is a file, or lies under one', async () => {
    const file = path.join(tempDir(), 'not-a-folder');
    writeFileSync(file, 'x');
    expect(await refusal({ dataDir: file })).toMatch(
      /^The data folder .*not-a-folder cannot be used: it is a file, not a folder\. Choose another with --data-dir\./,
    );
    expect(await refusal({ dataDir: path.join(file, 'server') })).toMatch(
      /cannot be used: part of its path is a file, not a folder/,
    );
  });

  it('a port or log level that cannot be', async () => {
    expect(await refusal({ port: 70000 })).toBe(
      'The port is a whole number from 0 to 65535 (0 picks a free one); got 70000.',
    );
    expect(await refusal({ logLevel: 'loud' })).toBe(
      'The log level is one of silent, fatal, error, warn, info, debug, trace; got "loud".',
    );
  });

  it('TLS files that are not a certificate and its key', async () => {
    const message = await refusal({ tls: { cert: 'not a certificate', key: 'not a key' } });
    expect(message).toMatch(/^The TLS certificate and key could not be used: give --tls-cert and --tls-key the PEM/);
  });

  it('a PostgreSQL that does not answer', async () => {
    // Port 1 on this machine: nothing listens there.
    const message = await refusal({ databaseUrl: 'postgres://curio@127.0.0.1:1/curio' });
    expect(message).toMatch(
      /^Cannot reach PostgreSQL at 127\.0\.0\.1:1 \(connection refused\)\. Check that it is running/,
    );
  });

  it('a database address that is not PostgreSQL, or cannot be read, named without its password', async () => {
    // Before: the first became PostgreSQL on localhost:5432 ("Cannot reach PostgreSQL at 127.0.0.1:5432"),
    // the second answered "Invalid URL".
    expect(await refusal({ databaseUrl: 'mysql://curio:S3cret@db.example/curio' })).toBe(
      '--database-url "mysql://curio:***@db.example/curio" is a mysql address; the server stores its data in ' +
        'PostgreSQL (postgres://USER:PASSWORD@HOST:5432/DATABASE) or, without one, in SQLite in --data-dir.',
    );
    expect(await refusal({ databaseUrl: 'postgres://curio:S3c@ret@127.0.0.1:99999/curio' })).toBe(
      '--database-url "postgres://curio:***@127.0.0.1:99999/curio" is not an address the server can read. Write ' +
        'it as postgres://USER:PASSWORD@HOST:5432/DATABASE (a port from 1 to 65535; @, : and / in the password ' +
        'written as %40, %3A and %2F).',
    );
  });
});

describe.skipIf(!postgresBinDir())('a server whose PostgreSQL refuses', () => {
  let postgres: PostgresFixture;
  beforeAll(async () => {
    postgres = await startPostgres();
  }, 120_000);
  afterAll(async () => {
    await postgres?.stop();
  });

  it('a database that does not exist', async () => {
    const missing = postgres.adminUrl.replace(/\/postgres$/, '/no_such_catalog');
    expect(await refusal({ databaseUrl: missing })).toMatch(
      /^The database named in --database-url \(or DATABASE_URL\) does not exist\. Create it \(createdb NAME\)/,
    );
  });
});

describe('the serve command', { timeout: 120_000 }, () => {
  const root = path.resolve(__dirname, '../..');
  const tsx = path.join(root, 'node_modules/.bin/tsx');

  async function serve(...args: string[]): Promise<{ code: number; stderr: string }> {
    try {
      await promisify(execFile)(tsx, ['server/cli.ts', 'serve', '--data-dir', tempDir(), ...args], { cwd: root });
      return { code: 0, stderr: '' };
    } catch (error) {
      const failure = error as { code: number; stderr: string };
      return { code: failure.code, stderr: failure.stderr };
    }
  }

  it('refuses --tls-cert without --tls-key rather than serving plain HTTP, and names a port that is no number', async () => {
    const cert = path.join(tempDir(), 'cert.pem');
    writeFileSync(cert, '-----BEGIN CERTIFICATE-----\n');
    expect(await serve('--port', '0', '--tls-cert', cert)).toEqual({
      code: 1,
      stderr: 'HTTPS needs both --tls-cert and --tls-key; only --tls-cert was given.\n',
    });
    expect(await serve('--port', '0', '--tls-cert', '/no/such.pem', '--tls-key', cert)).toEqual({
      code: 1,
      stderr: 'Cannot read --tls-cert /no/such.pem: there is no such file.\n',
    });
    expect(await serve('--port', 'abc')).toEqual({ code: 1, stderr: 'Give --port a whole number ≥ 0.\n' });
  });

  it('names a DATABASE_URL set for another program instead of taking it for PostgreSQL on localhost', async () => {
    const env = { ...process.env, DATABASE_URL: 'mysql://shop:S3cret@127.0.0.1/shop' };
    const answer = await promisify(execFile)(tsx, ['server/cli.ts', 'user', 'list', '--data-dir', tempDir()], {
      cwd: root,
      env,
    }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
    );
    expect(answer).toEqual({
      code: 1,
      stderr:
        'DATABASE_URL "mysql://shop:***@127.0.0.1/shop" is a mysql address; the server stores its data in ' +
        'PostgreSQL (postgres://USER:PASSWORD@HOST:5432/DATABASE) or, without one, in SQLite in --data-dir.\n',
    });
  });
});
