import { randomUUID } from 'node:crypto';
import type { RxCollection, RxReplicationPullStreamItem } from 'rxdb';
import { BehaviorSubject, Subject, type Subscription } from 'rxjs';
import type { Actor } from '../../shared/entities/envelope';
import type { EntityType } from '../../shared/entities/registry';
import { AppError } from '../../shared/errors';
import type { Doc, MergeContext } from '../../shared/merge';
import {
  REPLICATED_COLLECTIONS,
  type PullCheckpoint,
  type ReplicatedCollection,
  type Role,
} from '../../shared/protocol';
import { AuthSession, login, SessionGoneError, type ServerUser, type TokenAnswer } from './auth';
import {
  createConflictHandler,
  installConflictHandler,
  recordConflict,
  RefusedRows,
  sameRevision,
} from './conflict-handler';
import { fileCredentialStore, syncStateFile, type CredentialStore, type SyncState } from './credentials';
import { LiveStream, type BackoffOptions } from './event-stream';
import { ServerError, type RequestOptions } from './http';
import { PendingChanges } from './pending';
import { reattributeLocalWork } from './reattribute';
import { replicateCollection, type CollectionReplication } from './replication';
import { describeError, type SyncPhase, type SyncStatus } from './status';

/** The collections the engine replicates, as the core's database holds them. */
export interface SyncDatabase {
  entities: Record<EntityType, RxCollection<Doc>>;
  audit: RxCollection<Doc>;
  conflicts: RxCollection<Doc>;
}

/** Who acts in the services: the engine switches it to the signed-in user. */
export interface ActingSession {
  actor: Actor;
  role: Role;
}

export interface SyncTiming {
  /** Pause before RxDB retries a failed pull or push. */
  retryTimeMs: number;
  backoff: BackoffOptions;
  /** No bytes on the live stream for this long means the connection is dead (heartbeats are 15 s). */
  idleTimeoutMs: number;
}

export const DEFAULT_TIMING: SyncTiming = {
  retryTimeMs: 2000,
  backoff: { initialMs: 500, maxMs: 30_000 },
  idleTimeoutMs: 45_000,
};

export interface SyncEngineOptions {
  database: SyncDatabase;
  dataDir: string;
  deviceName: string;
  /** The local profile: who made the work done before the first sign-in. */
  localActor: Actor;
  setSession(session: ActingSession): void;
  credentials?: CredentialStore;
  timing?: Partial<SyncTiming>;
  now?: () => Date;
}

interface Run {
  auth: AuthSession;
  replications: CollectionReplication[];
  streams: Map<string, Subject<RxReplicationPullStreamItem<Doc, PullCheckpoint>>>;
  live: LiveStream;
  subscriptions: Subscription[];
  connected: boolean;
  paused: boolean;
  active: Set<string>;
}

function collectionsOf(database: SyncDatabase): Record<ReplicatedCollection, RxCollection<Doc>> {
  return { ...database.entities, audit: database.audit, conflicts: database.conflicts };
}

/**
 * The replication client: signs in, replicates every collection with the
 * server (pull, push, live stream with RESYNC on every reconnect), resolves
 * conflicts with the design's merge, and reports its status.
 */
export class SyncEngine {
  readonly status$: BehaviorSubject<SyncStatus>;
  private run: Run | null = null;
  private readonly pending: PendingChanges;
  private readonly refused = new RefusedRows();
  private readonly watchers: Subscription[] = [];
  private readonly timing: SyncTiming;
  private readonly credentials: CredentialStore;
  private readonly stateFile;
  private everConnected = false;
  private lastSyncAt: string | null = null;
  private lastError: string | null = null;

  private constructor(
    private readonly options: SyncEngineOptions,
    private state: SyncState,
  ) {
    this.timing = { ...DEFAULT_TIMING, ...options.timing };
    this.credentials = options.credentials ?? fileCredentialStore(`${options.dataDir}/sync-token`);
    this.stateFile = syncStateFile(options.dataDir);
    this.status$ = new BehaviorSubject<SyncStatus>(this.computeStatus());
    this.pending = new PendingChanges(() => this.publish());
    for (const [name, collection] of Object.entries(collectionsOf(options.database))) {
      this.watchers.push(collection.eventBulks$.subscribe((bulk) => this.pending.observe(name, bulk)));
    }
  }

  /** Opens the engine and, when the device was signed in before, resumes syncing. */
  static async open(options: SyncEngineOptions): Promise<SyncEngine> {
    const state = await syncStateFile(options.dataDir).load();
    const engine = new SyncEngine(options, state);
    const refreshToken = await engine.credentials.load();
    if (state.serverUrl && state.user && refreshToken) {
      options.setSession(actingSessionOf(state.user));
      // An expired access token: the first request refreshes, offline or not.
      engine.start(state.serverUrl, {
        accessToken: '',
        accessTokenExpiresAt: new Date(0).toISOString(),
        refreshToken,
        user: state.user,
      });
    }
    return engine;
  }

  get status(): SyncStatus {
    return this.status$.getValue();
  }

  get user(): ServerUser | null {
    return this.run?.auth.user ?? null;
  }

  async signIn(input: { serverUrl: string; username: string; password: string }): Promise<SyncStatus> {
    const serverUrl = normalizeServerUrl(input.serverUrl);
    const tokens = await login(serverUrl, {
      username: input.username,
      password: input.password,
      device: this.options.deviceName,
    });
    await this.stopRun();
    if (!this.state.reattributedAt) {
      const { entities, audit } = this.options.database;
      await reattributeLocalWork(
        { entities: Object.values(entities), audit },
        this.options.localActor,
        actorOf(tokens.user),
      );
    }
    this.state = { serverUrl, user: tokens.user, reattributedAt: this.state.reattributedAt ?? this.nowIso() };
    await this.stateFile.save(this.state);
    await this.credentials.save(tokens.refreshToken);
    this.options.setSession(actingSessionOf(tokens.user));
    this.lastError = null;
    this.start(serverUrl, tokens);
    return this.status;
  }

  /** Stops syncing and ends the session on the server; local work goes on as the same user. */
  async signOut(): Promise<void> {
    const auth = this.run?.auth;
    await this.stopRun();
    await auth?.logout().catch(() => undefined);
    await this.credentials.save(null);
    this.state = { ...this.state, user: null };
    await this.stateFile.save(this.state);
    this.lastError = null;
    this.publish();
  }

  /** An authorized request to the server for the signed-in user (the team screens use it). */
  async request<T>(path: string, options: RequestOptions = {}): Promise<T> {
    const run = this.run;
    if (!run || run.paused) throw new AppError('UNAUTHORIZED', 'Sign in to a sync server first.');
    return run.auth.request<T>(path, options);
  }

  /** Pulls everything new from the server now, as after a reconnect. */
  resync(): void {
    for (const stream of this.run?.streams.values() ?? []) stream.next('RESYNC');
  }

  /** Resolves once every collection has pushed and pulled what it knows of (tests, benchmarks). */
  async awaitInSync(): Promise<void> {
    const run = this.run;
    if (!run) return;
    await Promise.all(run.replications.map((replication) => replication.awaitInSync()));
  }

  /** Which changes wait to be pushed (`collection/id`), for diagnostics. */
  pendingKeys(): string[] {
    return this.pending.keys();
  }

  async close(): Promise<void> {
    await this.stopRun();
    for (const watcher of this.watchers) watcher.unsubscribe();
    this.status$.complete();
  }

  private start(serverUrl: string, tokens: TokenAnswer): void {
    const auth = new AuthSession(serverUrl, tokens, async (next) => {
      await this.credentials.save(next.refreshToken);
    });
    const user = tokens.user;
    const streams = new Map<string, Subject<RxReplicationPullStreamItem<Doc, PullCheckpoint>>>(
      REPLICATED_COLLECTIONS.map((name) => [name, new Subject()]),
    );
    const run: Run = {
      auth,
      replications: [],
      streams,
      live: undefined as unknown as LiveStream,
      subscriptions: [],
      connected: false,
      paused: false,
      active: new Set(),
    };
    this.run = run;
    this.everConnected = false;
    const mergeContext = (): MergeContext => ({ actor: actorOf(user), now: this.nowIso(), newRev: randomUUID });
    const record = (conflict: Parameters<typeof recordConflict>[1]) =>
      recordConflict(this.options.database.conflicts, conflict);
    for (const [name, collection] of Object.entries(collectionsOf(this.options.database)) as [
      ReplicatedCollection,
      RxCollection<Doc>,
    ][]) {
      installConflictHandler(collection, createConflictHandler(name, { mergeContext, refused: this.refused, record }));
      const replication = replicateCollection({
        name,
        collection,
        session: auth,
        identifier: serverUrl,
        stream$: streams.get(name)!.asObservable(),
        canPush: user.role !== 'viewer',
        retryTimeMs: this.timing.retryTimeMs,
        refused: this.refused,
        mergeContext,
        record,
        onError: (error) => this.onError(run, error),
        onPushing: (collectionName, rows, done) => {
          const documents = rows.map((row) => row.newDocumentState);
          if (done) this.pending.pushed(collectionName, documents);
          else this.pending.pushing(collectionName, documents);
        },
      });
      run.replications.push(replication);
      run.subscriptions.push(
        replication.conflict$.subscribe(({ input, output }) => {
          if (sameRevision(input.realMasterState as Doc, output as Doc)) this.pending.serverState(name, output as Doc);
        }),
        replication.active$.subscribe((active) => {
          if (active) run.active.add(name);
          else run.active.delete(name);
          this.publish();
        }),
      );
    }
    run.live = new LiveStream({
      serverUrl,
      open: (signal) => auth.openStream(signal),
      onConnected: () => {
        run.connected = true;
        this.everConnected = true;
        for (const stream of streams.values()) stream.next('RESYNC');
        this.publish();
      },
      onEvent: (event) => {
        if (event.event !== 'change') return;
        const change = JSON.parse(event.data) as { collection: string; documents: Doc[]; checkpoint: PullCheckpoint };
        streams.get(change.collection)?.next({ documents: change.documents as never, checkpoint: change.checkpoint });
      },
      onDisconnected: (error) => {
        run.connected = false;
        this.onError(run, error);
      },
      isFatal: (error) => error instanceof SessionGoneError || (error instanceof ServerError && error.status === 426),
      backoff: this.timing.backoff,
      idleTimeoutMs: this.timing.idleTimeoutMs,
    });
    this.publish();
  }

  private onError(run: Run, error: unknown): void {
    if (this.run !== run) return;
    this.lastError = describeError(error);
    const fatal = error instanceof SessionGoneError || (error instanceof ServerError && error.status === 426);
    if (fatal && !run.paused) {
      run.paused = true;
      // Local work goes on; the replications wait for a new sign-in.
      for (const replication of run.replications) void replication.pause();
      void run.live.stop();
    }
    this.publish();
  }

  private async stopRun(): Promise<void> {
    const run = this.run;
    if (!run) return;
    this.run = null;
    await run.live.stop();
    for (const subscription of run.subscriptions) subscription.unsubscribe();
    await Promise.all(run.replications.map((replication) => replication.cancel()));
    this.publish();
  }

  private computeStatus(): SyncStatus {
    const run = this.run;
    let phase: SyncPhase;
    if (!run) phase = 'signed-out';
    else if (run.paused) phase = 'paused';
    else if (!run.connected) phase = this.everConnected ? 'offline' : 'connecting';
    else if (run.active.size > 0 || (this.pending?.size ?? 0) > 0) phase = 'syncing';
    else phase = 'in-sync';
    return {
      phase,
      serverUrl: this.state.serverUrl,
      user: run?.auth.user ?? null,
      pending: this.pending?.size ?? 0,
      lastSyncAt: this.lastSyncAt,
      lastError: this.lastError,
    };
  }

  private publish(): void {
    if (this.status$.closed) return;
    const current = this.status$.getValue();
    let next = this.computeStatus();
    if (next.phase === 'in-sync' && current.phase !== 'in-sync') {
      this.lastSyncAt = this.nowIso();
      this.lastError = null;
      next = this.computeStatus();
    }
    const same =
      current.phase === next.phase &&
      current.pending === next.pending &&
      current.lastError === next.lastError &&
      current.lastSyncAt === next.lastSyncAt &&
      current.serverUrl === next.serverUrl &&
      current.user?.id === next.user?.id;
    if (!same) this.status$.next(next);
  }

  private nowIso(): string {
    return (this.options.now?.() ?? new Date()).toISOString();
  }
}

function actorOf(user: ServerUser): Actor {
  return { id: user.id, name: user.name };
}

function actingSessionOf(user: ServerUser): ActingSession {
  return { actor: actorOf(user), role: user.role };
}

/** `127.0.0.1:5309` and `http://127.0.0.1:5309/` name the same server. */
export function normalizeServerUrl(input: string): string {
  const trimmed = input.trim();
  const withScheme = /^https?:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new AppError('VALIDATION', `"${input}" is not a server address; write it like http://127.0.0.1:5309.`);
  }
  return url.origin;
}
