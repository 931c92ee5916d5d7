import { randomUUID } from 'node:crypto';
import {
  cancelRxStorageReplication,
  getAssumedMasterState,
  type RxCollection,
  type RxReplicationPullStreamItem,
  type WithDeleted,
} from 'rxdb';
import { Subject, type Subscription } from 'rxjs';
import type { ConflictRecord } from '../../shared/conflict';
import type { Actor } from '../../shared/entities/envelope';
import type { Doc, MergeContext } from '../../shared/merge';
import { REPLICATED_COLLECTIONS, type PullCheckpoint, type ReplicatedCollection } from '../../shared/protocol';
import type { AuthSession } from './auth';
import { createConflictHandler, installConflictHandler, RefusedRows, sameRevision } from './conflict-handler';
import type { DiscardedEntries } from './discarded-rows';
import { LiveStream, type BackoffOptions } from './event-stream';
import { DEFAULT_REQUEST_TIMEOUT_MS } from './http';
import type { PendingChanges } from './pending';
import { PulledCheck } from './pulled-check';
import { replicateCollection, type CollectionReplication } from './replication';
import { isServerBehind } from './status';

export interface SyncTiming {
  /** Pause before RxDB retries a failed pull or push. */
  retryTimeMs: number;
  /** A request with no whole answer after this long fails (and is retried): a stalled connection never ends by itself. */
  requestTimeoutMs: number;
  backoff: BackoffOptions;
  /** No bytes on the live stream for this long means the connection is dead, until the server names its heartbeat. */
  idleTimeoutMs: number;
  /** Silence beyond the server's heartbeat interval plus this much means the connection is lost (CLIENT-9). */
  heartbeatGraceMs: number;
  /** Waits before the replication starts again after the storage rolled back pulled writes (replay.ts). */
  replayBackoff: BackoffOptions;
}

export const DEFAULT_TIMING: SyncTiming = {
  retryTimeMs: 2000,
  requestTimeoutMs: DEFAULT_REQUEST_TIMEOUT_MS,
  backoff: { initialMs: 500, maxMs: 30_000 },
  idleTimeoutMs: 45_000,
  heartbeatGraceMs: 5000,
  replayBackoff: { initialMs: 1000, maxMs: 60_000 },
};

export interface RunOptions {
  serverUrl: string;
  auth: AuthSession;
  collections: Record<ReplicatedCollection, RxCollection<Doc>>;
  timing: SyncTiming;
  /** Viewers pull only; their local changes wait. */
  canPush: boolean;
  refused: RefusedRows;
  discarded: DiscardedEntries;
  pending: PendingChanges;
  now(): string;
  /** A catch-up is on its way (a sign-in): the thread that checks pulled pages starts with the run. */
  catchUpAhead: boolean;
  record(conflict: ConflictRecord): Promise<void>;
  /** Something the status depends on changed. */
  onChange(): void;
  onError(error: unknown): void;
  isFatal(error: unknown): boolean;
  /** The server says the signed-in user changed (role, name): STREAM-6. */
  onUserChanged(): void;
}

/**
 * One signed-in replication: every collection replicated with the server
 * over one live stream, which sends RESYNC to all of them on every
 * (re)connect. Ends with `stop`, or pauses when the session is gone.
 */
export class Run {
  readonly replications: CollectionReplication[] = [];
  readonly streams = new Map<string, Subject<RxReplicationPullStreamItem<Doc, PullCheckpoint>>>(
    REPLICATED_COLLECTIONS.map((name) => [name, new Subject()]),
  );
  readonly active = new Set<string>();
  /** By collection: the server's version of a document that the pull holds back (CLIENT-20). */
  private readonly heldVersions = new Map<ReplicatedCollection, (id: string) => WithDeleted<Doc> | undefined>();
  connected = false;
  /** A connection attempt failed or dropped and none has succeeded since. */
  unreachable = false;
  paused = false;
  /** The server answered that it is older than this app (SCHEMA-5) and no connection has succeeded since. */
  serverBehind = false;
  /** The storage lost writes this run counted as stored (`halt`): it waits to be replaced, its errors tell nothing. */
  halted = false;
  private readonly subscriptions: Subscription[] = [];
  private readonly check = new PulledCheck();
  private readonly live: LiveStream;
  private readonly stopListening: () => void;

  get auth(): AuthSession {
    return this.options.auth;
  }

  get canPush(): boolean {
    return this.options.canPush;
  }

  constructor(private readonly options: RunOptions) {
    if (options.catchUpAhead) this.check.startAhead();
    const { auth } = options;
    const onError = (error: unknown) => {
      if (isServerBehind(error)) this.serverBehind = true;
      options.onError(error);
    };
    const mergeContext = (): MergeContext => ({ actor: actorOf(auth.user), now: options.now(), newRev: randomUUID });
    for (const [name, collection] of Object.entries(options.collections) as [
      ReplicatedCollection,
      RxCollection<Doc>,
    ][]) {
      installConflictHandler(
        collection,
        createConflictHandler(name, { mergeContext, refused: options.refused, record: options.record }),
      );
      const { replication, heldVersion } = replicateCollection({
        name,
        collection,
        session: auth,
        identifier: options.serverUrl,
        stream$: this.streams.get(name)!.asObservable(),
        check: this.check,
        catchUpAhead: options.catchUpAhead,
        canPush: options.canPush,
        isWaiting: (collectionName, id) => options.pending.isWaiting(collectionName, id),
        retryTimeMs: options.timing.retryTimeMs,
        refused: options.refused,
        discarded: options.discarded,
        mergeContext,
        record: options.record,
        onError,
        onPushing: (collectionName, rows, done) => {
          const documents = rows.map((row) => row.newDocumentState);
          if (done) options.pending.pushed(collectionName, documents);
          else options.pending.pushing(collectionName, documents);
        },
      });
      this.replications.push(replication);
      this.heldVersions.set(name, heldVersion);
      this.subscriptions.push(
        replication.conflict$.subscribe(({ input, output }) => {
          // Resolved to the server's own state: RxDB writes it locally but never pushes it.
          if (sameRevision(input.realMasterState as Doc, output as Doc))
            options.pending.serverState(name, output as Doc);
        }),
        replication.error$.subscribe((error) => {
          // Failed requests were reported by the handlers already; anything else (a local write
          // the replication could not make) would otherwise only be retried in silence.
          const parameters = (error as { parameters?: { errors?: unknown[] } }).parameters;
          if (parameters?.errors) return;
          options.onError(new Error(`Replicating ${name} failed locally: ${error.message.split('\n')[0]}`));
        }),
        replication.active$.subscribe((active) => {
          if (active) this.active.add(name);
          else this.active.delete(name);
          options.onChange();
        }),
      );
    }
    // Any answer proves the server is back: leave "offline" now rather than after the stream's backoff.
    this.stopListening = auth.onAnswer(() => this.serverAnswered());
    this.live = new LiveStream({
      serverUrl: options.serverUrl,
      open: (signal) => auth.openStream(signal),
      onConnected: () => {
        this.connected = true;
        this.unreachable = false;
        this.serverBehind = false;
        this.resync();
        options.onChange();
      },
      onEvent: (event) => {
        if (event.event === 'user' || (event.event === 'ready' && this.userDiffers(event.data))) {
          return options.onUserChanged();
        }
        if (event.event !== 'change') return;
        const change = JSON.parse(event.data) as { collection: string; documents: Doc[]; checkpoint: PullCheckpoint };
        this.streams
          .get(change.collection)
          ?.next({ documents: change.documents as never, checkpoint: change.checkpoint });
      },
      onDisconnected: (error) => {
        this.connected = false;
        this.unreachable = true;
        onError(error);
      },
      isFatal: options.isFatal,
      backoff: options.timing.backoff,
      idleTimeoutMs: options.timing.idleTimeoutMs,
      heartbeatGraceMs: options.timing.heartbeatGraceMs,
    });
  }

  /** The user a `ready` names (STREAM-6) is not the one the tokens carry: the role changed while reconnecting. */
  private userDiffers(data: string): boolean {
    try {
      const { user } = JSON.parse(data) as { user?: { role?: string; name?: string } };
      return user !== undefined && (user.role !== this.auth.user.role || user.name !== this.auth.user.name);
    } catch {
      return false;
    }
  }

  private serverAnswered(): void {
    if (!this.unreachable || this.paused) return;
    this.unreachable = false;
    this.live.reconnectNow();
    this.options.onChange();
  }

  /**
   * The documents as the server holds them, as far as this run knows (absent: never sent, or deleted there),
   * live ones only: the version a viewer's pull holds back (CLIENT-20), else the one the replication assumes
   * the server holds (the last it pulled or pushed).
   */
  async serverStates(name: ReplicatedCollection, ids: string[]): Promise<Map<string, Doc>> {
    const replication = this.replications.find((each) => each.collection === this.options.collections[name]);
    await replication?.startPromise;
    const state = replication?.internalReplicationState;
    if (!state) return new Map();
    const assumed = await getAssumedMasterState(state, ids);
    const held = this.heldVersions.get(name);
    const result = new Map<string, Doc>();
    for (const id of ids) {
      const document = held?.(id) ?? assumed[id]?.docData;
      if (document && !document._deleted) result.set(id, document as Doc);
    }
    return result;
  }

  /**
   * Pulls everything new, as after a reconnect.
   *
   * NOTE: sent twice. While a collection pushes, RxDB (17.6) holds back its stream items; when the push
   * ends it takes the held items in order, and a RESYNC that follows a change in one take is dropped, not
   * kept for the next: a change sent after the reconnect then moves the checkpoint past everything the
   * stream missed while it was down, and those changes never arrive. The second RESYNC starts the next
   * take; when the first one runs, RxDB drops the second as already covered.
   */
  resync(): void {
    for (const stream of this.streams.values()) {
      stream.next('RESYNC');
      stream.next('RESYNC');
    }
  }

  /**
   * The storage rolled back pulled writes this run counted as stored: from now on it writes no checkpoint,
   * so the file's checkpoints stay behind what it lost and the next run pulls that again. `stop` still ends it.
   *
   * NOTE: RxDB's `cancel()` first waits for its start queue (a start in progress, a few microtasks at least),
   * and a checkpoint written meanwhile, stacked on the one RxDB holds, would land in the next batch: past the
   * rolled-back pages, which even the next start of the app would then skip. Canceling the replication state
   * itself stops every later checkpoint write at once.
   */
  halt(): void {
    this.halted = true;
    for (const replication of this.replications) {
      const state = replication.internalReplicationState;
      if (state) void cancelRxStorageReplication(state);
    }
  }

  /** The session is gone: everything waits for a new sign-in; local work goes on. */
  pause(): void {
    if (this.paused) return;
    this.paused = true;
    for (const replication of this.replications) void replication.pause();
    void this.live.stop();
  }

  async awaitInSync(): Promise<void> {
    await Promise.all(this.replications.map((replication) => replication.awaitInSync()));
  }

  async stop(): Promise<void> {
    this.stopListening();
    await this.live.stop();
    for (const subscription of this.subscriptions) subscription.unsubscribe();
    await Promise.all(this.replications.map((replication) => replication.cancel()));
    await this.check.close();
  }
}

export function actorOf(user: { id: string; name: string }): Actor {
  return { id: user.id, name: user.name };
}
