import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import type { SyncStatus, SyncTiming } from '../../main/sync';
import { login } from '../../main/sync/auth';
import { requestJson } from '../../main/sync/http';
import { ENTITY_TYPES } from '../../shared/entities/registry';
import { REPLICATED_COLLECTIONS, type Role } from '../../shared/protocol';
import { countsForTotal, generateCatalog } from '../../shared/sample';
import { startServer, type RunningServer, type ServerOptions } from '../../server';
import { ClientProcess, type Snapshot } from './client-process';
import { TcpProxy } from './tcp-proxy';

export const PASSWORD = 'plum-kettle-orbit-42';

/** Fast retries so tests do not wait on production backoff. */
export const TEST_TIMING: Partial<SyncTiming> = {
  retryTimeMs: 100,
  backoff: { initialMs: 50, maxMs: 400 },
  idleTimeoutMs: 5000,
};

export interface TestServer {
  server: RunningServer;
  dataDir: string;
  url: string;
  addUser(username: string, role: Role, name?: string): Promise<{ id: string; username: string; name: string }>;
  /** Stops the server and starts it again on the same port and data (with `changes` to its options). */
  restart(changes?: TestServerOptions): Promise<void>;
  close(): Promise<void>;
}

/** What a test may set on its server besides the fast defaults (benchmarks: limits, encodings, PostgreSQL). */
export type TestServerOptions = Pick<
  ServerOptions,
  'heartbeatMs' | 'accessTokenTtlSeconds' | 'connections' | 'sessionRateLimit' | 'pullEncodings' | 'databaseUrl'
>;

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'curio-sync-server-'));
  const start = (port: number, changes: TestServerOptions = {}) =>
    startServer({
      ...options,
      ...changes,
      host: '127.0.0.1',
      port,
      dataDir,
      logLevel: 'silent',
      heartbeatMs: changes.heartbeatMs ?? options.heartbeatMs ?? 1000,
      passwordHashing: { memoryCost: 1024, timeCost: 1 },
      loginRateLimit: { max: 100_000, windowSeconds: 60 },
    });
  let server = await start(0);
  const port = server.port;
  const handle: TestServer = {
    server,
    dataDir,
    url: server.url,
    async addUser(username, role, name) {
      const user = await server.createUser({ username, name: name ?? username, password: PASSWORD, role });
      return { id: user.id, username: user.username, name: user.name };
    },
    async restart(changes) {
      await server.close();
      server = await start(port, changes);
      handle.server = server;
    },
    async close() {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return handle;
}

export interface TestClient extends ClientProcess {
  /** The proxy this client reaches the server through. */
  proxy: TcpProxy;
  signIn(username: string): Promise<SyncStatus>;
  /** Closes the process, its proxy and (unless kept) its folder. */
  dispose(options?: { keepData?: boolean; keepProxy?: boolean }): Promise<void>;
}

let clientCount = 0;

/** A real core (own process, own folder, SQLite) reaching `server` through its own TCP proxy. */
export async function openTestClient(
  server: Pick<TestServer, 'url'>,
  options: {
    dataDir?: string;
    actor?: { id: string; name: string };
    proxy?: TcpProxy;
    /** Overrides of the fast test timing. */
    timing?: Partial<SyncTiming>;
    /** More Node flags for the client's process (see ClientProcess.start). */
    execArgv?: string[];
    /** The client's bundle to run instead of its source (see ClientProcess.start). */
    built?: string;
    /** The client's clock runs this far ahead (see ClientProcess.start). */
    clockOffsetMs?: number;
  } = {},
): Promise<TestClient> {
  clientCount++;
  const actor = options.actor ?? { id: `local-${process.pid}-${clientCount}`, name: `Local profile ${clientCount}` };
  const timing = { ...TEST_TIMING, ...options.timing };
  const client = await ClientProcess.start({
    actor,
    timing,
    dataDir: options.dataDir,
    execArgv: options.execArgv,
    built: options.built,
    clockOffsetMs: options.clockOffsetMs,
  });
  const proxy = options.proxy ?? (await TcpProxy.start(server.url));
  return Object.assign(client, {
    proxy,
    signIn(username: string) {
      return client.request<SyncStatus>({
        op: 'signIn',
        credentials: { serverUrl: proxy.url, username, password: PASSWORD },
      });
    },
    async dispose(disposeOptions: { keepData?: boolean; keepProxy?: boolean } = {}) {
      await client.close(disposeOptions);
      if (!disposeOptions.keepProxy) await proxy.close();
    },
  });
}

export type TestUser = Awaited<ReturnType<TestServer['addUser']>>;

export interface TestTeam {
  /** The running server; read it inside tests and hooks, once it has started. */
  readonly server: TestServer;
  /** The users added at start, by user name. */
  readonly users: Readonly<Record<string, TestUser>>;
  /** Opens a client (see `openTestClient`) that is disposed at the end unless the test disposes it first. */
  openClient(options?: Parameters<typeof openTestClient>[1]): Promise<TestClient>;
  /** Opens a client, signs `username` in and waits until it is in sync. */
  signedIn(username: string, options?: Parameters<typeof openTestClient>[1]): Promise<TestClient>;
}

/**
 * The set-up most sync test files share: a test server with `users` added
 * (each as `addUser`'s arguments), started before the file's tests (or before
 * each one, with `perTest`), and closed afterwards with every client still open.
 * Call it at the top level of a test file.
 */
export function useTestTeam(
  users: Parameters<TestServer['addUser']>[],
  options: Parameters<typeof startTestServer>[0] & { perTest?: boolean } = {},
): TestTeam {
  let server: TestServer | undefined;
  const added: Record<string, TestUser> = {};
  const open = new Set<TestClient>();
  const setUp = async () => {
    server = await startTestServer(options);
    for (const user of users) added[user[0]] = await server.addUser(...user);
  };
  const tearDown = async () => {
    await Promise.all([...open].map((client) => client.dispose()));
    await server?.close();
  };
  if (options.perTest) {
    beforeEach(setUp);
    afterEach(tearDown);
  } else {
    beforeAll(setUp);
    afterAll(tearDown);
  }
  const team: TestTeam = {
    get server() {
      if (!server) throw new Error('The test server starts in the set-up hook: read it inside a test or hook.');
      return server;
    },
    users: added,
    async openClient(clientOptions) {
      const client = await openTestClient(team.server, clientOptions);
      const dispose = client.dispose;
      client.dispose = async (disposeOptions) => {
        open.delete(client);
        await dispose(disposeOptions);
      };
      open.add(client);
      return client;
    },
    async signedIn(username, clientOptions) {
      const client = await team.openClient(clientOptions);
      await client.signIn(username);
      await inSync(client);
      return client;
    },
  };
  return team;
}

/** Waits until `client` says it is in sync with nothing waiting to be pushed. */
export async function inSync(client: ClientProcess, timeoutMs?: number): Promise<void> {
  await eventually(() => expect(client.status).toMatchObject({ phase: 'in-sync', pending: 0 }), timeoutMs);
}

/** Waits until `check` holds, polling; for states that arrive asynchronously over the network. */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 20_000): Promise<T> {
  const started = Date.now();
  let lastError: unknown;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      lastError = error;
    }
    if (Date.now() - started > timeoutMs) throw lastError;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Puts `count` catalog documents on the server as `username` (a teammate), so a first sync has pages to pull. */
export async function seedCatalog(server: TestServer, username: string, count: number): Promise<void> {
  const tokens = await login(server.url, { username, password: PASSWORD });
  const actor = { id: tokens.user.id, name: tokens.user.name };
  const catalog = generateCatalog(countsForTotal(count), 11);
  for (const type of ENTITY_TYPES) {
    const rows = catalog[type].map((document) => ({
      assumedMasterState: null,
      newDocumentState: { ...document, createdBy: actor, updatedBy: actor, _deleted: false },
    }));
    // A push carries at most 1,000 rows.
    for (let start = 0; start < rows.length; start += 1000) {
      const body = { rows: rows.slice(start, start + 1000) };
      await requestJson(server.url, `/v1/sync/${type}/push`, { body, accessToken: tokens.accessToken });
    }
  }
}

/** An admin (`admin`, signed in with PASSWORD) gives a teammate a new role on the server. */
export async function setRole(server: TestServer, admin: string, userId: string, role: Role): Promise<void> {
  const tokens = await login(server.url, { username: admin, password: PASSWORD });
  await requestJson(server.url, `/v1/admin/users/${userId}`, {
    method: 'PATCH',
    body: { role },
    accessToken: tokens.accessToken,
  });
}

/** Every live document of every replicated collection on the server, by id (read with an admin's pull). */
export async function serverSnapshot(server: TestServer, admin: string): Promise<Snapshot> {
  const tokens = await login(server.url, { username: admin, password: PASSWORD });
  const result: Snapshot = {};
  for (const name of REPLICATED_COLLECTIONS) {
    result[name] = {};
    let checkpoint: { sequence: number } | null = null;
    for (;;) {
      const page: { documents: Record<string, unknown>[]; checkpoint: { sequence: number } } = await requestJson(
        server.url,
        `/v1/sync/${name}/pull`,
        { body: { checkpoint, limit: 1000 }, accessToken: tokens.accessToken },
      );
      for (const document of page.documents) {
        const { _deleted: deleted, ...fields } = document;
        if (deleted) delete result[name][String(fields.id)];
        else result[name][String(fields.id)] = fields;
      }
      if (page.documents.length === 0) break;
      checkpoint = page.checkpoint;
    }
  }
  return result;
}

/** Waits until every client holds exactly the server's live documents, each at the server's revision. */
export async function expectConverged(server: TestServer, admin: string, clients: TestClient[]): Promise<Snapshot> {
  return eventually(async () => {
    for (const client of clients) await client.request({ op: 'resync' });
    for (const client of clients) await client.request({ op: 'awaitInSync' });
    const expected = await serverSnapshot(server, admin);
    for (const client of clients) {
      const actual = await client.snapshot();
      for (const name of REPLICATED_COLLECTIONS) expect(actual[name]).toEqual(expected[name]);
    }
    return expected;
  }, 60_000);
}
