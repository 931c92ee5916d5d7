import type { RxCollection, RxReplicationPullStreamItem, RxReplicationWriteToMasterRow, WithDeleted } from 'rxdb';
import { replicateRxCollection, type RxReplicationState } from 'rxdb/plugins/replication';
import { map, tap, type Observable } from 'rxjs';
import { refusedRecord, type Doc, type MergeContext, type Refusal } from '../../shared/merge';
import type { PullCheckpoint, ReplicatedCollection } from '../../shared/protocol';
import type { AuthSession } from './auth';
import { FullReread, type ClientCheckpoint } from './full-resync';
import { ServerError } from './http';
import { StreamedPulls, type PullAnswer } from './pull-pages';
import type { PulledCheck } from './pulled-check';
import { sameRevision, type RefusedRows } from './conflict-handler';
import { discardedRows, type DiscardedEntries } from './discarded-rows';
import type { ConflictRecord } from '../../shared/conflict';

/** The server lowers larger pull limits to this; RxDB stops pulling after a short batch (see pullBatch). */
export const PULL_BATCH_SIZE = 1000;
export const PUSH_BATCH_SIZE = 200;

export type CollectionReplication = RxReplicationState<Doc, PullCheckpoint>;

interface PushRow {
  assumedMasterState: Doc | null;
  newDocumentState: Doc;
}

interface PushAnswer {
  conflicts: Doc[];
  refused: (Refusal & { id: string })[];
}

export interface ReplicationDeps {
  name: ReplicatedCollection;
  collection: RxCollection<Doc>;
  session: AuthSession;
  /** Distinguishes replications to different servers or users, which keep separate checkpoints. */
  identifier: string;
  stream$: Observable<RxReplicationPullStreamItem<Doc, PullCheckpoint>>;
  /** Checks a catch-up's pulled pages off the main thread. */
  check: PulledCheck;
  /** A catch-up is on its way (a sign-in): an empty collection's first pages are asked for before RxDB asks. */
  catchUpAhead: boolean;
  /** Viewers pull only. */
  canPush: boolean;
  /** Whether the document has a local change not sent yet (`PendingChanges.isWaiting`). */
  isWaiting(name: ReplicatedCollection, id: string): boolean;
  retryTimeMs: number;
  refused: RefusedRows;
  discarded: DiscardedEntries;
  mergeContext(): MergeContext;
  record(conflict: ConflictRecord): Promise<void>;
  /** Every failed request, before RxDB retries it. */
  onError(error: unknown): void;
  /** Rows are about to be pushed / were pushed (for the count of waiting changes). */
  onPushing(name: ReplicatedCollection, rows: PushRow[], done: boolean): void;
}

/**
 * A sign-in's catch-up into an empty collection starts from the server's first page: asked for while RxDB sets
 * its replication up (`StreamedPulls.requestFromStart`). A collection holding documents has a checkpoint RxDB
 * goes on from; should an empty one have one too, RxDB's call closes the answer and asks anew.
 */
async function askFromStartIfEmpty(
  collection: RxCollection<Doc>,
  replication: RxReplicationState<Doc, PullCheckpoint>,
  pages: StreamedPulls,
): Promise<void> {
  const held = await collection
    .count()
    .exec()
    .catch(() => 1);
  if (held === 0 && !replication.isStopped()) pages.requestFromStart(PULL_BATCH_SIZE);
}

/** A row that changes nothing the server needs to know: the state it already has, or a never-pushed delete. */
function isNoOp(row: PushRow): boolean {
  const { assumedMasterState: assumed, newDocumentState: next } = row;
  if (!assumed) return next._deleted === true;
  return sameRevision(assumed, next);
}

/**
 * NOTE: RxDB's remove() keeps the last write's fields, `rev` included, and
 * the server takes a row with the stored `rev` for a harmless retry. A
 * permanent delete therefore travels as a new revision written by the
 * deleting user; the pulled tombstone then replaces the local one.
 */
function asPushed(row: PushRow, context: () => MergeContext): PushRow {
  const { assumedMasterState: assumed, newDocumentState: next } = row;
  if (next._deleted !== true || !assumed || assumed.rev !== next.rev) return row;
  const { actor, now, newRev } = context();
  return {
    assumedMasterState: assumed,
    newDocumentState: { ...next, rev: newRev(), updatedAt: now, updatedBy: actor },
  };
}

/**
 * CLIENT-20: a pull-only replication (a viewer's) holds back the server's versions of documents with a local
 * change not sent yet. NOTE: without a push handler RxDB stores pulled states over local changes (it skips the
 * pull metadata that would keep them), so a viewer's waiting change would vanish when a teammate edits the
 * same entry. Held back, the change stays to be sent after a promotion (where the push meets the server's
 * version and merges, CLIENT-3) or discarded; once it no longer waits, the next pull hands the server's
 * version over. The held versions live in memory, but the checkpoint that passes them keeps where they were
 * pulled from (`heldFrom`), and the first pull of a later run (a restart, a sign-in, a role change) starts
 * there, so it brings them, or newer ones, again.
 */
class HeldBack {
  /** By id: the version held and the checkpoint it was pulled after. */
  private readonly documents = new Map<string, { document: WithDeleted<Doc>; from: number }>();

  constructor(private readonly isWaiting: (id: string) => boolean) {}

  /**
   * The batch pulled after checkpoint `from` to store: the pulled documents and those held before that no
   * longer wait, less those waiting.
   */
  sort(batch: WithDeleted<Doc>[], from: number): WithDeleted<Doc>[] {
    for (const document of batch) this.documents.delete(String(document.id));
    const released = [...this.documents.values()].filter(({ document }) => !this.isWaiting(String(document.id)));
    const store: WithDeleted<Doc>[] = [];
    for (const held of [...released, ...batch.map((document) => ({ document, from }))]) {
      const id = String(held.document.id);
      if (this.isWaiting(id)) {
        this.documents.set(id, held);
      } else {
        this.documents.delete(id);
        store.push(held.document);
      }
    }
    return store;
  }

  /** The server's version of `id` held back, if any (a deletion included). */
  version(id: string): WithDeleted<Doc> | undefined {
    return this.documents.get(id)?.document;
  }

  /** Puts back the versions held now: a pull that failed midway handed RxDB nothing of what it sorted. */
  saved(): () => void {
    const saved = new Map(this.documents);
    return () => {
      this.documents.clear();
      for (const [id, held] of saved) this.documents.set(id, held);
    };
  }

  /** The checkpoint a pull brings every held version again from (null: none held). */
  get from(): number | null {
    let from: number | null = null;
    for (const held of this.documents.values()) from = from === null ? held.from : Math.min(from, held.from);
    return from;
  }
}

/** A collection's replication, and the server's versions its pull holds back (CLIENT-20; none for a run that pushes). */
export interface ReplicatedCollectionRun {
  replication: CollectionReplication;
  /** The server's version of `id` held back, if any: newer than the one RxDB assumes the server has. */
  heldVersion(id: string): WithDeleted<Doc> | undefined;
}

/** Replicates one collection with the server: pull by checkpoint, push with the assumed master, live stream. */
export function replicateCollection(deps: ReplicationDeps): ReplicatedCollectionRun {
  const path = `/v1/sync/${deps.name}`;
  async function guarded<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      deps.onError(error);
      throw error;
    }
  }

  async function push(rxRows: RxReplicationWriteToMasterRow<Doc>[]): Promise<WithDeleted<Doc>[]> {
    const rows: PushRow[] = rxRows.map((row) => ({
      assumedMasterState: (row.assumedMasterState as Doc | undefined) ?? null,
      newDocumentState: row.newDocumentState as Doc,
    }));
    // CLIENT-16: a retried row whose change was discarded since is not sent.
    const discarded = await discardedRows(deps.name, deps.collection, deps.discarded, rows);
    const toSend = rows.filter((row) => !discarded.has(row) && !isNoOp(row));
    const conflicts: Doc[] = [];
    // Every row's attempt is over: the count drops the revisions it still holds for them, a discarded row's included.
    const done = (): WithDeleted<Doc>[] => {
      for (const row of discarded) conflicts.push(goBack(row));
      deps.onPushing(deps.name, rows, true);
      return conflicts as WithDeleted<Doc>[];
    };
    if (toSend.length === 0) return done();
    deps.onPushing(deps.name, toSend, false);
    const sent = toSend.map((row) => asPushed(row, deps.mergeContext));
    const answer = await guarded(() => deps.session.request<PushAnswer>(`${path}/push`, { body: { rows: sent } }));
    conflicts.push(...answer.conflicts);
    for (const refusal of answer.refused) {
      const index = sent.findIndex((row) => row.newDocumentState.id === refusal.id);
      const original = toSend[index];
      if (!original) continue;
      const record = refusedRecord(deps.name, sent[index]!, refusal, deps.mergeContext());
      if (record) await deps.record(record);
      else deps.onError(new Error(`The server refused a ${deps.name} change: ${refusal.reason}`));
      conflicts.push(goBack(original));
    }
    return done();
  }

  /**
   * A row the server did not store (refused, or discarded here before it was sent) is answered as a
   * conflict whose server state is the last one the server took; the conflict handler takes it as is.
   * For a discarded row, writing that back fails on the local write of the discard, as RxDB expects.
   */
  function goBack(row: PushRow): Doc {
    deps.refused.add(deps.name, String(row.newDocumentState.id), String(row.newDocumentState.rev));
    return row.assumedMasterState ?? { ...row.newDocumentState, _deleted: true };
  }

  const pages = new StreamedPulls(
    deps.session,
    path,
    () => {
      if (replication.isStoppedOrPaused()) return null;
      const written = replication.internalReplicationState?.lastCheckpointDoc.down?.checkpointData as
        ClientCheckpoint | undefined;
      return written?.sequence ?? 0;
    },
    (line, parse) => deps.check.page(deps.name, line, parse),
  );

  /**
   * NOTE: RxDB takes a batch shorter than `limit` for the end of the
   * collection, so pages the server cut short by bytes (PULL-6) are joined
   * here until the batch is full or the server has nothing more (CLIENT-12).
   */
  async function pullBatch(checkpoint: PullCheckpoint | null, limit: number): Promise<PullAnswer> {
    const itemsWhenAsked = pages.streamItemsSeen;
    const documents: WithDeleted<Doc>[] = [];
    let next = checkpoint;
    for (;;) {
      const page = await pages.page(next, limit - documents.length, itemsWhenAsked);
      documents.push(...page.documents);
      next = page.checkpoint;
      if (!page.hasMore || page.documents.length === 0 || documents.length >= limit) {
        return { documents, checkpoint: next };
      }
    }
  }

  const reread = new FullReread(deps.collection);
  const heldBack = new HeldBack((id) => deps.isWaiting(deps.name, id));
  /** Whether a pull of this run succeeded: before, a viewer's held-back versions are those of an earlier run. */
  let pulledInThisRun = false;

  /** PULL-7, CLIENT-13: a checkpoint older than the server's tombstone horizon reads everything again. */
  async function pull(
    checkpoint: ClientCheckpoint | null,
    limit: number,
  ): Promise<{ documents: WithDeleted<Doc>[]; checkpoint: ClientCheckpoint }> {
    let from: PullCheckpoint | null = checkpoint && { sequence: checkpoint.sequence };
    // CLIENT-20: the versions an earlier run held back went with it; pulled again, they are held again.
    const heldBefore = checkpoint?.heldFrom ?? null;
    if (!deps.canPush && !pulledInThisRun && heldBefore !== null) from = { sequence: heldBefore };
    // A re-read the app did not finish starts over: the ids it had seen are gone with the process.
    if (checkpoint?.rereading && !reread.active) {
      await reread.start();
      from = null;
    }
    let answer: PullAnswer;
    try {
      answer = await pullBatch(from, limit);
    } catch (error) {
      if (!(error instanceof ServerError && error.code === 'RESYNC_REQUIRED')) throw error;
      await reread.start();
      from = null;
      answer = await pullBatch(from, limit);
    }
    pulledInThisRun = true;
    // A run that pushes leaves the mark alone: demoted again before its push went through, the next viewer run needs it.
    if (deps.canPush) {
      const read = afterReread(answer, limit);
      return {
        documents: read.documents,
        checkpoint: { ...answer.checkpoint, rereading: read.rereading, heldFrom: heldBefore },
      };
    }
    // CLIENT-20, CLIENT-12: a batch made short by the held-back versions would end RxDB's pull (and an empty one
    // would not even keep its checkpoint), so the pull goes on until the batch is full or the server has no more.
    // Failed midway, RxDB pulls again from its checkpoint: the versions released meanwhile are held again till then.
    const restore = heldBack.saved();
    const documents: WithDeleted<Doc>[] = [];
    let after = from?.sequence ?? 0;
    let asked = limit;
    for (;;) {
      const read = afterReread(answer, asked);
      documents.push(...heldBack.sort(read.documents, after));
      const checkpoint = { ...answer.checkpoint, rereading: read.rereading, heldFrom: heldBack.from };
      if (answer.documents.length < asked || documents.length >= limit) return { documents, checkpoint };
      after = answer.checkpoint.sequence;
      asked = limit - documents.length;
      try {
        answer = await pullBatch(answer.checkpoint, asked);
      } catch (error) {
        restore();
        throw error;
      }
    }
  }

  /** CLIENT-13: a batch of a re-read is noted; the last (shorter than `asked`) also deletes what the server no longer has. */
  function afterReread(answer: PullAnswer, asked: number): { documents: WithDeleted<Doc>[]; rereading: boolean } {
    if (!reread.active) return { documents: answer.documents, rereading: false };
    reread.see(answer.documents);
    if (answer.documents.length >= asked) return { documents: answer.documents, rereading: true };
    return { documents: reread.finish(answer.documents), rereading: false };
  }

  const replication = replicateRxCollection<Doc, PullCheckpoint>({
    replicationIdentifier: `curio-${deps.identifier}-${deps.name}`,
    collection: deps.collection,
    live: true,
    retryTime: deps.retryTimeMs,
    waitForLeadership: false,
    autoStart: true,
    pull: {
      batchSize: PULL_BATCH_SIZE,
      // NOTE: RxDB stores a streamed change's documents as they are, past the pull handler: for a viewer the
      // change is pulled instead, so that a version of a document with a change waiting is held back (CLIENT-20).
      stream$: deps.stream$.pipe(
        tap(() => pages.sawStreamItem()),
        map((item) => (deps.canPush ? item : 'RESYNC')),
      ),
      handler: (checkpoint, limit) => guarded(() => pull(checkpoint ?? null, limit)),
    },
    push: deps.canPush ? { batchSize: PUSH_BATCH_SIZE, handler: push } : undefined,
  });
  replication.onCancel.push(() => pages.close());
  if (deps.catchUpAhead) void askFromStartIfEmpty(deps.collection, replication, pages);
  return { replication, heldVersion: (id) => heldBack.version(id) };
}
