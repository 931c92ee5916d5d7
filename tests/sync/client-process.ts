import { fork, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SyncStatus, SyncTiming } from '../../main/sync';
import type { EntityType } from '../../shared/entities/registry';

type Actor = { id: string; name: string };

/** The answer to `mainThreadUse`: the client's main thread since the last ask. */
export interface MainThreadUse {
  /**
   * How long it was held at most (and at p99), in ms: what a screen's request or a save would have waited
   * behind (perf_hooks' event-loop delay, 10 ms resolution).
   */
  maxMs: number;
  p99Ms: number;
  /** The share of the time it ran code (event-loop utilization): near 1, its own work sets the pace. */
  busyShare: number;
}

export type WorkerRequest = { id: number } & (
  | { op: 'open'; dataDir: string; actor: Actor; timing: Partial<SyncTiming>; clockOffsetMs?: number }
  | { op: 'call'; path: string[]; input: unknown }
  | { op: 'signIn'; credentials: { serverUrl: string; username: string; password: string } }
  | { op: 'signOut' }
  | { op: 'status' }
  | { op: 'awaitInSync' }
  | { op: 'resync' }
  | { op: 'snapshot' }
  | { op: 'pendingKeys' }
  | { op: 'statusSubscription'; until: string }
  /** The "not sent" list as the renderer follows it (sync.onWaiting), read until it is empty: the lengths seen. */
  | { op: 'waitingSubscription' }
  | { op: 'watch'; collection: EntityType }
  /** A full garbage collection now (the process needs `--expose-gc`), as memory pressure would run one. */
  | { op: 'gc' }
  /** How the client's main thread was used since the last ask (`MainThreadUse`). */
  | { op: 'mainThreadUse' }
  /** Makes the indexes an initial sync left to make once its pages pause, now (storage/deferred-indexes.ts). */
  | { op: 'makeDeferredIndexes' }
  /**
   * The catalog file may grow by `pages` more pages from now (`PRAGMA max_page_count` on its write
   * connection: writes beyond fail with SQLITE_FULL, as on a full disk); null lifts the limit.
   */
  | { op: 'limitFileGrowth'; pages: number | null }
  | { op: 'close' }
);

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type RequestBody = DistributiveOmit<WorkerRequest, 'id'>;

export type WorkerResponse =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: { message: string; code: string | null } }
  | { event: 'ready' }
  | { event: 'status'; status: SyncStatus }
  | { event: 'change'; id: string; rev: string; at: number };

/** An error thrown inside a client process, with the app's error code when it had one. */
export class ClientError extends Error {
  constructor(
    message: string,
    readonly code: string | null,
  ) {
    super(message);
  }
}

export type Snapshot = Record<string, Record<string, Record<string, unknown>>>;

const WORKER = fileURLToPath(new URL('./client-worker.ts', import.meta.url));

/** A test client running in its own process (see client-worker.ts for why). */
export class ClientProcess {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  status: SyncStatus | null = null;
  readonly changeListeners = new Set<(change: { id: string; rev: string; at: number }) => void>();
  /** Called with every status the client publishes. */
  readonly statusListeners = new Set<(status: SyncStatus) => void>();

  private constructor(
    private readonly child: ChildProcess,
    readonly dataDir: string,
    private readonly ownsDir: boolean,
  ) {
    child.on('message', (message: WorkerResponse) => {
      if ('event' in message) {
        if (message.event === 'status') {
          this.status = message.status;
          for (const listener of this.statusListeners) listener(message.status);
        }
        if (message.event === 'change') for (const listener of this.changeListeners) listener(message);
        return;
      }
      const waiter = this.waiting.get(message.id);
      if (!waiter) return;
      this.waiting.delete(message.id);
      if (message.ok) waiter.resolve(message.value);
      else waiter.reject(new ClientError(message.error.message, message.error.code));
    });
    child.on('exit', () => {
      for (const waiter of this.waiting.values()) waiter.reject(new Error('The client process exited.'));
      this.waiting.clear();
    });
  }

  static async start(options: {
    actor: Actor;
    timing: Partial<SyncTiming>;
    dataDir?: string;
    /** More Node flags, e.g. to run the test-only v1 entity registry (tests/sync/upgrade). */
    execArgv?: string[];
    /** The client's bundle (`buildClient`), run under plain Node as the app runs its build; else from source through tsx. */
    built?: string;
    /** The core's clock runs this far ahead of the system's (a device opened weeks later). */
    clockOffsetMs?: number;
  }): Promise<ClientProcess> {
    const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'curio-sync-client-')));
    const execArgv = [...(options.built ? [] : ['--import', 'tsx']), ...(options.execArgv ?? [])];
    const child = fork(options.built ?? WORKER, [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`The client process exited with ${code} before it was ready.`)));
    });
    const client = new ClientProcess(child, dataDir, !options.dataDir);
    await client.request({
      op: 'open',
      dataDir,
      actor: options.actor,
      timing: options.timing,
      clockOffsetMs: options.clockOffsetMs,
    });
    return client;
  }

  /** The client's process id (benchmarks read its peak memory). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  request<T = unknown>(body: RequestBody): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.child.send({ ...body, id });
    });
  }

  /** Calls a tRPC procedure of the client's core, e.g. `call('entities.create', {...})`. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  call<T = any>(path: string, input?: unknown): Promise<T> {
    return this.request<T>({ op: 'call', path: path.split('.'), input });
  }

  snapshot(): Promise<Snapshot> {
    return this.request<Snapshot>({ op: 'snapshot' });
  }

  /** Ends the process; with `keepData` the folder stays for a restart on the same data. */
  async close(options: { keepData?: boolean } = {}): Promise<void> {
    if (this.running) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      await this.request({ op: 'close' }).catch(() => undefined);
      await exited;
    }
    if (this.ownsDir && !options.keepData) await rm(this.dataDir, { recursive: true, force: true });
  }

  /** Ends the process as a crash or kill -9 would: nothing is closed or saved. */
  async kill(): Promise<void> {
    if (!this.running) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGKILL');
    await exited;
  }

  private get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }
}
