import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { login } from '../../../main/sync/auth';
import { PROTOCOL_VERSION, PROTOCOL_VERSION_HEADER, SCHEMA_VERSIONS_HEADER } from '../../../shared/protocol';
import type { Snapshot } from '../client-process';
import { eventually, inSync, openTestClient, PASSWORD, type TestClient } from '../harness';
import { TcpProxy } from '../tcp-proxy';
import { entities as v1Entities } from './registry-v1';
import { ServerProcess, V1_FLAGS, type SchemaGeneration } from './server-process';

export type Backend = 'sqlite' | 'postgres';

/** The v1 header: what a v1 app sends (the test process itself runs the production, v0 registry). */
export const V1_HEADER = Object.entries(v1Entities)
  .map(([type, entity]) => `${type}=${entity.version}`)
  .concat(['audit=0', 'conflicts=0'])
  .join(',');

/**
 * One team's server through its upgrades: the same data folder (or
 * PostgreSQL database) and the same address, served by a process of one
 * schema generation at a time; clients of either generation reach it through
 * their own proxy, as laptops reach a server whose version changes under them.
 */
export class UpgradeTeam {
  server!: ServerProcess;
  readonly users: Record<string, { id: string }> = {};
  private readonly clients = new Set<TestClient>();

  private constructor(
    readonly dataDir: string,
    readonly databaseUrl: string | undefined,
  ) {}

  static async start(generation: SchemaGeneration, databaseUrl?: string): Promise<UpgradeTeam> {
    const team = new UpgradeTeam(await mkdtemp(join(tmpdir(), 'curio-upgrade-')), databaseUrl);
    team.server = await ServerProcess.start({ generation, dataDir: team.dataDir, databaseUrl });
    for (const [name, role] of [
      ['admin', 'admin'],
      ['ann', 'editor'],
      ['bob', 'editor'],
      ['cat', 'editor'],
      ['dan', 'editor'],
    ] as const) {
      team.users[name] = await team.server.addUser(name, role);
    }
    return team;
  }

  /** Stops the server and starts `generation` on the same data and port (clients keep their proxies). */
  async restartAs(generation: SchemaGeneration, how: 'close' | 'kill' = 'close'): Promise<void> {
    const port = this.server.port;
    await (how === 'kill' ? this.server.kill() : this.server.close());
    this.server = await ServerProcess.start({ generation, dataDir: this.dataDir, databaseUrl: this.databaseUrl, port });
  }

  /** A real core of `generation` in its own process, on its own folder (or `dataDir`, a profile to reopen). */
  async client(generation: SchemaGeneration, options: { dataDir?: string; proxy?: TcpProxy } = {}) {
    const client = await openTestClient(this.server, {
      ...options,
      execArgv: generation === 'v1' ? V1_FLAGS : [],
    });
    this.clients.add(client);
    return client;
  }

  async signedIn(generation: SchemaGeneration, username: string) {
    const client = await this.client(generation);
    await client.signIn(username);
    await inSync(client, 60_000);
    return client;
  }

  /** Closes a client's process but keeps its folder (and proxy): the laptop is shut with its profile. */
  async shutDown(client: TestClient): Promise<void> {
    this.clients.delete(client);
    await client.dispose({ keepData: true, keepProxy: true });
  }

  /** Every live document the server holds, as a v1 app reads it (raw pulls with the v1 header). */
  async snapshot(): Promise<Snapshot> {
    const tokens = await login(this.server.url, { username: 'admin', password: PASSWORD });
    const result: Snapshot = {};
    for (const name of [...Object.keys(v1Entities), 'audit', 'conflicts']) {
      result[name] = {};
      let checkpoint: { sequence: number } | null = null;
      for (;;) {
        const response = await fetch(`${this.server.url}/v1/sync/${name}/pull`, {
          method: 'POST',
          headers: {
            [PROTOCOL_VERSION_HEADER]: String(PROTOCOL_VERSION),
            [SCHEMA_VERSIONS_HEADER]: V1_HEADER,
            authorization: `Bearer ${tokens.accessToken}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify({ checkpoint, limit: 1000 }),
        });
        expect(response.status).toBe(200);
        const page = (await response.json()) as {
          documents: Record<string, unknown>[];
          checkpoint: { sequence: number };
        };
        for (const { _deleted: deleted, ...fields } of page.documents) {
          if (deleted) delete result[name][String(fields.id)];
          else result[name][String(fields.id)] = fields;
        }
        if (page.documents.length === 0) break;
        checkpoint = page.checkpoint;
      }
    }
    return result;
  }

  async close(): Promise<void> {
    await Promise.all([...this.clients].map((client) => client.dispose()));
    await this.server.close();
    await rm(this.dataDir, { recursive: true, force: true });
  }
}

/** Waits until every client is in sync with nothing waiting. */
export async function allInSync(clients: TestClient[]): Promise<void> {
  await eventually(async () => {
    for (const client of clients) await client.request({ op: 'resync' });
    // NOTE: awaitInSync has no time limit of its own; one stuck wait must not outlast `eventually`.
    for (const client of clients) await withinSeconds(20, client.request({ op: 'awaitInSync' }));
    for (const client of clients) expect(client.status).toMatchObject({ phase: 'in-sync', pending: 0 });
  }, 90_000);
}

function withinSeconds<T>(seconds: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Still waiting after ${seconds} s.`)), seconds * 1000);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
