import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { openTestClient, type TestClient, type TestServer } from '../sync/harness';
import type { Api } from './helpers';

/**
 * Connects to the database at `databaseUrl` as a fresh login role that has no
 * rights on any table (any PostgreSQL login can still NOTIFY).
 */
export async function connectWithoutTableRights(databaseUrl: string): Promise<pg.Client> {
  const role = `intruder_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE ROLE ${role} LOGIN`);
  } finally {
    await admin.end();
  }
  const url = new URL(databaseUrl);
  url.username = role;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  return client;
}

/** The sum of a Prometheus counter over all its label sets in a `/metrics` text. */
export function metricSum(text: string, name: string): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    const match = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`).exec(line);
    if (match) sum += Number(match[1]);
  }
  return sum;
}

export async function scrapeMetrics(baseUrl: string): Promise<string> {
  return (await fetch(`${baseUrl}/metrics`)).text();
}

/** A real client core in its own process, signed in to the server at `url` as `username` (password PASSWORD). */
export async function openClientCore(url: string, username: string): Promise<TestClient> {
  const client = await openTestClient({ url } as TestServer);
  await client.signIn(username);
  return client;
}

/** Pulls a collection to its end at the client's page size, page by page, as the protocol answers them. */
export async function pullPages(api: Api, collection: string, limit = 1000) {
  const pages: { documents: { id: string }[]; checkpoint: { sequence: number }; hasMore: boolean }[] = [];
  let sequence: number | null = null;
  for (;;) {
    const response = await api.pull(collection, sequence, limit);
    if (response.status !== 200) throw new Error(`pull answered ${response.status}: ${response.text.slice(0, 200)}`);
    if (response.body.documents.length === 0) return pages;
    pages.push(response.body);
    sequence = response.body.checkpoint.sequence;
  }
}

const root = path.resolve(import.meta.dirname, '../..');

/** Runs `server/cli.ts` with `args` in its own process; never throws, returns the exit code and output. */
export function runCli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      path.join(root, 'node_modules/.bin/tsx'),
      ['server/cli.ts', ...args],
      { cwd: root, env: { ...process.env, CURIO_PASSWORD: '' } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}
