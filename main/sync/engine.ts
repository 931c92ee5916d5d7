import type { RxCollection } from 'rxdb';
import { BehaviorSubject, Subject, type Subscription } from 'rxjs';
import type { Actor } from '../../shared/entities/envelope';
import type { EntityType } from '../../shared/entities/registry';
import { AppError } from '../../shared/errors';
import type { Doc } from '../../shared/merge';
import type { ReplicatedCollection } from '../../shared/protocol';
import { AuthSession, login, setupSignIn, type ServerUser, type TokenAnswer } from './auth';
import { recordConflict, RefusedRows } from './conflict-handler';
import { DiscardedEntries } from './discarded-rows';
import { fileCredentialStore, pendingFile, syncStateFile, type CredentialStore, type SyncState } from './state-files';
import { normalizeServerUrl, OfflineError, type RequestOptions } from './http';
import { PendingChanges } from './pending';
import { PendingSaves } from './pending-saves';
import { reattributeLocalWork } from './reattribute';
import { Replay } from './replay';
import { sendWaitingAgain } from './send-again';
import { PendingSignOuts } from './sign-outs';
import { actingSessionOf, canPushAs, RoleWatch, type ActingSession } from './role-watch';
import { actorOf, DEFAULT_TIMING, Run, type SyncTiming } from './run';
import { describeError, isFatal, pausedReasonOf, sameStatus, syncStatusOf, type SyncStatus } from './status';
import { waitingEntries, type WaitingEntry } from './waiting';

/** The collections the engine replicates, as the core's database holds them. */
export interface SyncDatabase {
  entities: Record<EntityType, RxCollection<Doc>>;
  audit: RxCollection<Doc>;
  conflicts: RxCollection<Doc>;
  /** Commits the pulled writes the storage holds open (called once in sync; absent: nothing held). */
  commitPulledWrites?(): void;
  /** Calls `listener` when the storage rolls back pulled writes it held open; returns the unsubscribe. */
  onPulledWritesRolledBack?(listener: (error: unknown) => void): () => void;
}

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
  /**
   * Emits when the waiting list may have changed: an entry began or stopped waiting, or a waiting entry
   * was written again (a new revision). The "not sent" list follows it while open.
   */
  readonly waiting$ = new Subject<void>();
  /** The waiting list's mark (`version:entrySize`) as `waiting$` last told it. */
  private waitingMark = '';
  private run: Run | null = null;
  /** The run `restartRun` is stopping: the status shows it until the next one starts, not "signed out". */
  private replaced: Run | null = null;
  /** Settles when the latest `restartRun` has its new run in place (or gave up). */
  private restarted: Promise<void> = Promise.resolve();
  private readonly pending: PendingChanges;
  private readonly pendingSaves: PendingSaves;
  private readonly refused = new RefusedRows();
  private readonly discarded = new DiscardedEntries();
  private readonly watchers: Subscription[] = [];
  private readonly timing: SyncTiming;
  private readonly credentials: CredentialStore;
  private readonly stateFile;
  private lastSyncAt: string | null = null;
  private lastError: string | null = null;
  /** Why the run paused (session ended, app too old), for the badge. */
  private pausedReason: string | null = null;
  private readonly roles = new RoleWatch();
  /** The restart that waits after the storage rolled back pulled writes. */
  private readonly replay: Replay;
  private readonly stopWatchingRollBacks: () => void;
  /** Sign-outs the server has not heard of yet (CLIENT-19). */
  private readonly signOuts: PendingSignOuts;

  private constructor(
    private readonly options: SyncEngineOptions,
    private state: SyncState,
  ) {
    this.timing = { ...DEFAULT_TIMING, ...options.timing };
    this.credentials = options.credentials ?? fileCredentialStore(`${options.dataDir}/sync-token`);
    this.stateFile = syncStateFile(options.dataDir);
    this.replay = new Replay(this.timing.replayBackoff);
    this.signOuts = new PendingSignOuts(this.credentials, {
      backoff: this.timing.backoff,
      requestTimeoutMs: this.timing.requestTimeoutMs,
      now: () => this.options.now?.() ?? new Date(),
      onChange: () => this.publish(),
    });
    this.status$ = new BehaviorSubject<SyncStatus>(this.computeStatus());
    this.pending = new PendingChanges(() => {
      this.publish();
      this.pendingSaves.changed();
      this.waitingMayHaveChanged();
    });
    this.pendingSaves = new PendingSaves(this.pending, pendingFile(options.dataDir), (error) => {
      this.lastError = describeError(error);
      this.publish();
    });
    for (const [name, collection] of Object.entries(collectionsOf(options.database))) {
      this.watchers.push(collection.eventBulks$.subscribe((bulk) => this.pending.observe(name, bulk)));
    }
    this.stopWatchingRollBacks =
      options.database.onPulledWritesRolledBack?.((error) => this.pulledWritesRolledBack(error)) ?? (() => {});
  }

  /** Opens the engine and, when the device was signed in before, resumes syncing. */
  static async open(options: SyncEngineOptions): Promise<SyncEngine> {
    const state = await syncStateFile(options.dataDir).load();
    const engine = new SyncEngine(options, state);
    engine.pending.restore(await pendingFile(options.dataDir).load());
    await engine.signOuts.restore();
    const refreshToken = await engine.credentials.load();
    if (state.serverUrl && state.user && refreshToken) {
      options.setSession(actingSessionOf(state.user));
      await engine.beforeRunAs(state.user);
      // An expired access token: the first request refreshes, offline or not.
      engine.start(
        state.serverUrl,
        {
          accessToken: '',
          accessTokenExpiresAt: new Date(0).toISOString(),
          refreshToken,
          sessionExpiresAt: state.sessionExpiresAt ?? undefined,
          user: state.user,
        },
        { catchUpAhead: false },
      );
    }
    return engine;
  }

  get status(): SyncStatus {
    return this.status$.getValue();
  }

  get user(): ServerUser | null {
    return this.run?.auth.user ?? null;
  }

  /** Signs in with a password, or with a setup code (AUTH-9), whereupon `password` is the one chosen. */
  async signIn(input: { serverUrl: string; username: string; password: string; code?: string }): Promise<SyncStatus> {
    const serverUrl = normalizeServerUrl(input.serverUrl);
    const credentials = { username: input.username, password: input.password, device: this.options.deviceName };
    const answer = input.code
      ? setupSignIn(serverUrl, { ...credentials, code: input.code })
      : login(serverUrl, credentials);
    const tokens = await answer.catch((error: unknown) => {
      if (!(error instanceof OfflineError)) throw error;
      throw new AppError('VALIDATION', error.message, [{ field: 'serverUrl', message: error.message }]);
    });
    // The server answered: a sign-out of this device that it has not heard of goes first (CLIENT-19).
    this.signOuts.reachable(serverUrl);
    await this.stopRun();
    if (!this.state.reattributedAt) {
      const { entities, audit } = this.options.database;
      await reattributeLocalWork(
        { entities: Object.values(entities), audit },
        this.options.localActor,
        actorOf(tokens.user),
      );
    }
    this.state = {
      ...this.state,
      serverUrl,
      user: tokens.user,
      reattributedAt: this.state.reattributedAt ?? this.nowIso(),
      sessionExpiresAt: tokens.sessionExpiresAt ?? null,
    };
    await this.stateFile.save(this.state);
    await this.credentials.save(tokens.refreshToken);
    this.options.setSession(actingSessionOf(tokens.user));
    this.lastError = null;
    this.pausedReason = null;
    this.roles.reset();
    await this.beforeRunAs(tokens.user);
    // A sign-in brings the initial sync, or the catch-up since the last session.
    this.start(serverUrl, tokens, { catchUpAhead: true });
    return this.status;
  }

  /**
   * Stops syncing and ends the session on the server; local work goes on as the same user. A server that
   * cannot be told now is told as soon as it answers again (CLIENT-19): the sign-out is kept first.
   */
  async signOut(): Promise<void> {
    const auth = this.run?.auth ?? this.replaced?.auth;
    await this.stopRun();
    const signOut = auth
      ? await this.signOuts.add(
          auth.serverUrl,
          auth.refreshToken,
          this.nowIso(),
          auth.currentTokens.sessionExpiresAt ?? this.state.sessionExpiresAt ?? null,
        )
      : null;
    await this.credentials.save(null);
    this.state = { ...this.state, user: null, sessionExpiresAt: null };
    await this.stateFile.save(this.state);
    this.lastError = null;
    this.publish();
    if (signOut) await this.signOuts.send(signOut);
  }

  /** An authorized request to the server for the signed-in user (the team screens use it). */
  async request<T>(path: string, options: RequestOptions = {}): Promise<T> {
    const run = this.run;
    if (!run || run.paused) throw new AppError('UNAUTHORIZED', 'Sign in to a sync server first.');
    return run.auth.request<T>(path, options);
  }

  /** Pulls everything new from the server now, as after a reconnect. */
  resync(): void {
    this.run?.resync();
  }

  /** Resolves once every collection has pushed and pulled what it knows of (tests, benchmarks). */
  async awaitInSync(): Promise<void> {
    await this.run?.awaitInSync();
  }

  /**
   * The catalog entries whose changes wait to be sent, each with its local
   * state and the server's version (null: never sent): the one a viewer's pull
   * holds back (CLIENT-20), else what RxDB assumes the master holds. It needs
   * the replication; without one (signed out) it is unknown and `server` is undefined.
   */
  async waitingEntries(): Promise<WaitingEntry[]> {
    // A run being replaced knows no server version, and its successor will.
    await this.restarted;
    return waitingEntries(this.pending.entryKeys(), this.options.database.entities, this.run);
  }

  /**
   * The user discards the waiting change of a document: a local write is about to put back the
   * server's own version (or remove a never-sent entry). It waits for nothing, and a push retried
   * with the discarded change is not sent (CLIENT-16).
   */
  discarding(collection: ReplicatedCollection, document: Doc): void {
    this.pending.serverState(collection, document);
    this.discarded.add(collection, String(document.id));
  }

  /**
   * NOTE: every write of any collection reaches PendingChanges (a pulled page too); only a change of the
   * list's version (an entry added or written again) or of its size is told, so an open "not sent" list is
   * not read again per pulled page.
   */
  private waitingMayHaveChanged(): void {
    const mark = `${this.pending.version}:${this.pending.entrySize}`;
    if (mark === this.waitingMark || this.waiting$.closed) return;
    this.waitingMark = mark;
    this.waiting$.next();
  }

  /** Which changes wait to be pushed (`collection/id`), for diagnostics. */
  pendingKeys(): string[] {
    return this.pending.keys();
  }

  async close(): Promise<void> {
    await this.stopRun();
    await this.signOuts.close();
    await this.pendingSaves.close();
    this.stopWatchingRollBacks();
    for (const watcher of this.watchers) watcher.unsubscribe();
    this.status$.complete();
    this.waiting$.complete();
  }

  private start(serverUrl: string, tokens: TokenAnswer, options: { catchUpAhead: boolean }): void {
    const auth = new AuthSession(serverUrl, tokens, (next) => this.tokensChanged(next), this.timing.requestTimeoutMs);
    // Whoever is signed in, an answer of the server sends the sign-outs waiting for it (CLIENT-19).
    auth.onAnswer(() => this.signOuts.reachable(serverUrl));
    this.startRun(serverUrl, auth, options);
  }

  /**
   * One replication on `auth`; a changed role starts another on the same session (the refresh token rotates).
   * Only a sign-in's run starts the check thread at once (`RunOptions.catchUpAhead`); the others start it with
   * a catch-up's first page, which a few changes never send.
   */
  private startRun(serverUrl: string, auth: AuthSession, { catchUpAhead } = { catchUpAhead: false }): void {
    const run: Run = new Run({
      serverUrl,
      auth,
      catchUpAhead,
      collections: collectionsOf(this.options.database),
      timing: this.timing,
      canPush: canPushAs(auth.user),
      refused: this.refused,
      discarded: this.discarded,
      pending: this.pending,
      now: () => this.nowIso(),
      record: (conflict) => recordConflict(this.options.database.conflicts, conflict),
      onChange: () => this.publish(),
      onError: (error) => this.onError(run, error),
      isFatal,
      onUserChanged: () => this.checkUser(run),
    });
    this.run = run;
    this.publish();
  }

  private async tokensChanged(next: TokenAnswer): Promise<void> {
    const changed = this.roles.observe(this.state.user, next.user);
    // The session's end moves with every refresh; kept so a sign-out after a restart knows it (CLIENT-19).
    const sessionMoved = (next.sessionExpiresAt ?? null) !== (this.state.sessionExpiresAt ?? null);
    if (sessionMoved) this.state = { ...this.state, sessionExpiresAt: next.sessionExpiresAt ?? null };
    if (changed) {
      // The core acts with the new role before anything else can write.
      this.state = { ...this.state, user: next.user };
      this.options.setSession(actingSessionOf(next.user));
      const run = this.run;
      if (run && run.canPush !== canPushAs(next.user)) {
        // Not from inside this refresh: stopping the run waits for the request that is refreshing.
        setTimeout(() => void this.restartRun(run), 0);
      }
      this.publish();
    }
    await this.credentials.save(next.refreshToken);
    if (changed || sessionMoved) await this.stateFile.save(this.state);
  }

  /** Asks the server who the user is now (a refresh carries the user); once in a while at most for refused pushes. */
  private checkUser(run: Run): void {
    if (this.run !== run || run.paused) return;
    this.roles.check(run.auth).catch((error: unknown) => this.onError(run, error));
  }

  /**
   * Replicate again on the same session, from the checkpoints in the file: the role allows pushing or no
   * longer does, or pulled writes were lost. Waiting changes stay (`pending`, `refused`, `discarded` are the
   * engine's), and a push whose bookkeeping was lost is sent again, which the server takes as a retry (PUSH-4).
   */
  private restartRun(run: Run): Promise<void> {
    this.restarted = this.replaceRun(run).catch((error: unknown) => {
      this.lastError = describeError(error);
      this.publish();
    });
    return this.restarted;
  }

  private async replaceRun(run: Run): Promise<void> {
    if (this.run !== run) return;
    this.run = null;
    this.replaced = run;
    await run.stop();
    // Signed out, or signed in again, meanwhile: stopRun forgot `replaced`.
    if (this.replaced !== run) return;
    await this.beforeRunAs(run.auth.user);
    if (this.replaced !== run) return;
    // The new run publishes while it is built, before it is `this.run`.
    if (this.state.serverUrl) this.startRun(this.state.serverUrl, run.auth);
    this.replaced = null;
    this.publish();
  }

  /**
   * NOTE: a pull-only run (a viewer's) lets RxDB take the waiting changes as sent and moves its push
   * checkpoint past them. So the file remembers that one ran, and before the next run that may push (a
   * promotion, a sign-in as an editor, a restart) the waiting documents are stored again (send-again.ts).
   * A failure keeps the mark: the next run tries again.
   */
  private async beforeRunAs(user: ServerUser): Promise<void> {
    const taken = this.state.waitingTakenAsSent ?? false;
    if (canPushAs(user) !== taken) return;
    if (taken) {
      try {
        await sendWaitingAgain(collectionsOf(this.options.database), this.pending.keys());
      } catch (error) {
        this.lastError = describeError(error);
        return;
      }
    }
    this.state = { ...this.state, waitingTakenAsSent: !taken };
    await this.stateFile.save(this.state);
  }

  /**
   * The storage rolled back pulled writes (a full disk, a read-only file), checkpoints included, which RxDB
   * still counts as stored: the run writes nothing more, and a new one reads the checkpoints in the file and
   * pulls the lost documents again, after a wait that grows while the failure lasts (replay.ts).
   */
  private pulledWritesRolledBack(error: unknown): void {
    const run = this.run;
    // No run, or a paused one: the next run starts from the file anyway.
    if (!run || run.paused) return;
    if (!run.halted) run.halt();
    const reason = error instanceof Error ? error.message : String(error);
    this.lastError = `Changes from the server could not be saved on this computer (${reason}); trying again.`;
    this.replay.schedule(() => void this.restartRun(run));
    this.publish();
  }

  private onError(run: Run, error: unknown): void {
    if (this.run !== run || run.halted) return;
    this.lastError = describeError(error);
    if (isFatal(error)) {
      this.pausedReason = pausedReasonOf(error);
      run.pause();
    }
    if (this.roles.shouldCheckAfter(error)) this.checkUser(run);
    this.publish();
  }

  private async stopRun(): Promise<void> {
    this.replay.cancel();
    this.replaced = null;
    const run = this.run;
    if (!run) return;
    this.run = null;
    await run.stop();
    this.publish();
  }

  private computeStatus(): SyncStatus {
    return syncStatusOf(this.run ?? this.replaced, {
      waitingEntries: this.pending?.entrySize ?? 0,
      waitingDocuments: this.pending?.size ?? 0,
      serverUrl: this.state.serverUrl,
      demotedFrom: this.roles.demotedFrom,
      pausedReason: this.pausedReason,
      lastSyncAt: this.lastSyncAt,
      lastError: this.lastError,
      restarting: this.replay.waiting || this.replaced !== null,
      signOutsWaiting: this.signOuts.waiting(),
    });
  }

  private publish(): void {
    if (this.status$.closed) return;
    let next = this.computeStatus();
    if (next.phase === 'in-sync' && this.status.phase !== 'in-sync') {
      if (this.commitPulledWrites()) {
        this.lastSyncAt = this.nowIso();
        this.lastError = null;
        this.replay.succeeded();
      }
      // NOTE: a failed commit publishes from inside (pulledWritesRolledBack), so the status is read after it.
      next = this.computeStatus();
    }
    if (!sameStatus(this.status, next)) this.status$.next(next);
  }

  /**
   * A catch-up is over: its last pages, held open by the storage to be committed with more, are committed
   * now rather than inside the user's next save. False if the commit failed: the storage rolled them back
   * and said so (pulledWritesRolledBack), so the replication is not in sync.
   */
  private commitPulledWrites(): boolean {
    try {
      this.options.database.commitPulledWrites?.();
      return true;
    } catch (error) {
      console.error('Curio: pulled changes could not be committed; they are pulled again.', error);
      return false;
    }
  }

  private nowIso(): string {
    return (this.options.now?.() ?? new Date()).toISOString();
  }
}
