import { randomBytes } from 'node:crypto';
import pg from 'pg';

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
