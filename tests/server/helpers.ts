/* eslint-disable @typescript-eslint/no-explicit-any -- JSON bodies in tests are checked by assertions, not types. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { PROTOCOL_VERSION, PROTOCOL_VERSION_HEADER, type Role } from '../../shared/protocol';
import { startServer, type RunningServer, type ServerOptions } from '../../server';
import { startPostgres, type PostgresFixture } from './postgres-fixture';

export type Adapter = 'sqlite' | 'postgres';
/** Every HTTP suite runs once per adapter (PostgreSQL is started by the suite itself). */
export const ADAPTERS: Adapter[] = ['sqlite', 'postgres'];

export const PASSWORD = 'plum-kettle-orbit-42';

/** Cheap argon2 and no login throttling: tests sign in often. Production defaults are not touched. */
export const TEST_OPTIONS: ServerOptions = {
  host: '127.0.0.1',
  port: 0,
  logLevel: 'silent',
  passwordHashing: { memoryCost: 1024, timeCost: 1 },
  loginRateLimit: { max: 100_000, windowSeconds: 60 },
};

export interface Response<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/** A small HTTP client speaking the protocol: version header, bearer token, JSON. */
export class Api {
  constructor(
    readonly baseUrl: string,
    public token: string | null = null,
  ) {}

  async request<T = any>(
    method: string,
    route: string,
    body?: unknown,
    options: { headers?: Record<string, string>; raw?: string } = {},
  ): Promise<Response<T>> {
    const headers: Record<string, string> = { [PROTOCOL_VERSION_HEADER]: String(PROTOCOL_VERSION) };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined || options.raw !== undefined) headers['content-type'] = 'application/json';
    Object.assign(headers, options.headers);
    const response = await fetch(`${this.baseUrl}${route}`, {
      method,
      headers,
      body: options.raw ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
    const text = await response.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = text;
    }
    return { status: response.status, headers: response.headers, body: parsed as T, text };
  }

  post<T = any>(route: string, body?: unknown) {
    return this.request<T>('POST', route, body ?? {});
  }

  get<T = any>(route: string) {
    return this.request<T>('GET', route);
  }

  pull(collection: string, sequence: number | null, limit = 100) {
    return this.post(`/v1/sync/${collection}/pull`, {
      checkpoint: sequence === null ? null : { sequence },
      limit,
    });
  }

  push(collection: string, rows: { assumedMasterState: unknown; newDocumentState: unknown }[]) {
    return this.post(`/v1/sync/${collection}/push`, { rows });
  }
}

export interface SignedIn {
  user: { id: string; username: string; name: string; role: Role };
  actor: { id: string; name: string };
  api: Api;
  accessToken: string;
  refreshToken: string;
}

export interface TestServer extends RunningServer {
  api(token?: string | null): Api;
  /** Creates a user with the role and signs in. */
  signIn(role: Role, username?: string): Promise<SignedIn>;
}

let userCounter = 0;

export function decorate(server: RunningServer): TestServer {
  return Object.assign(server, {
    api: (token: string | null = null) => new Api(server.url, token),
    async signIn(role: Role, username = `${role}${++userCounter}`) {
      await server.createUser({ username, name: `${role} ${username}`, password: PASSWORD, role });
      return login(server.url, username);
    },
  });
}

export async function login(url: string, username: string, password = PASSWORD): Promise<SignedIn> {
  const api = new Api(url);
  const response = await api.post('/v1/auth/login', { username, password, device: 'test' });
  if (response.status !== 200) throw new Error(`login failed: ${response.status} ${response.text}`);
  api.token = response.body.accessToken;
  const user = response.body.user;
  return {
    user,
    actor: { id: user.id, name: user.name },
    api,
    accessToken: response.body.accessToken,
    refreshToken: response.body.refreshToken,
  };
}

/**
 * Per-adapter set-up for a describe block: a PostgreSQL cluster for the
 * block when needed, a fresh database or folder per server, everything
 * closed and removed afterwards.
 */
export function serverHarness(adapter: Adapter) {
  let postgres: PostgresFixture | null = null;
  const running: RunningServer[] = [];
  const dirs: string[] = [];

  beforeAll(async () => {
    if (adapter === 'postgres') postgres = await startPostgres();
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((server) => server.close()));
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  afterAll(async () => {
    await postgres?.stop();
  });

  async function storage(): Promise<{ dataDir: string; databaseUrl?: string }> {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'curio-server-test-'));
    dirs.push(dataDir);
    if (adapter === 'sqlite') return { dataDir };
    return { dataDir, databaseUrl: await postgres!.createDatabase() };
  }

  return {
    storage,
    /** Starts a server on fresh storage, or on `shared` storage to run two servers on one database. */
    async start(options: ServerOptions = {}, shared?: { dataDir: string; databaseUrl?: string }): Promise<TestServer> {
      const server = await startServer({ ...TEST_OPTIONS, ...(shared ?? (await storage())), ...options });
      running.push(server);
      return decorate(server);
    },
  };
}

/**
 * Rate limits count in fixed windows aligned to the clock (rate-windows.ts): a test that counts hits
 * across a window's end sees the count start over. Waits, when the current window of `windowSeconds`
 * ends within `neededSeconds`, until the next one has begun.
 */
export async function awayFromWindowEnd(windowSeconds: number, neededSeconds = 30): Promise<void> {
  const windowMs = windowSeconds * 1000;
  const left = windowMs - (Date.now() % windowMs);
  if (left < neededSeconds * 1000) await new Promise((resolve) => setTimeout(resolve, left + 50));
}
