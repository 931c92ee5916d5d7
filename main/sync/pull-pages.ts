import type { WithDeleted } from 'rxdb';
import type { Doc } from '../../shared/merge';
import { PULL_PAGES_MEDIA_TYPE, type PullCheckpoint } from '../../shared/protocol';
import type { AuthSession } from './auth';
import { requestJsonOrLines, type JsonLines } from './json-lines';

/** A pull page (PULL-1, PULL-6): `hasMore` when the server's byte cap ended it before `limit`. */
export interface PullAnswer {
  documents: WithDeleted<Doc>[];
  checkpoint: PullCheckpoint;
  hasMore?: boolean;
}

/**
 * Pages of streamed answers handed to RxDB and not yet written, at most: RxDB asks for the next page without
 * waiting for the write of the last, so over a link faster than the writes it would hold the whole catch-up.
 */
export const MAX_PAGES_AHEAD_OF_WRITES = 2;
/** How often a pull waiting for the writes looks again (a page write takes far longer). */
const WRITES_POLL_MS = 10;

/** Streamed pages preferred (PULL-9); an older server ignores it and answers one page as JSON. */
const PULL_PAGES_ACCEPT = `${PULL_PAGES_MEDIA_TYPE}, application/json;q=0.9`;

/** An answer of streamed pages being read, and where its next line goes on from. */
interface OpenAnswer {
  lines: JsonLines;
  next: number;
  limit: number;
  /** Stream items seen when it was requested. */
  streamItems: number;
}

type Answer = Awaited<ReturnType<typeof requestJsonOrLines<PullAnswer>>>;

/** An answer asked for before RxDB's first call (`StreamedPulls.requestFromStart`). */
interface AheadAnswer {
  limit: number;
  /** Stream items seen when it was requested. */
  streamItems: number;
  answer: Promise<Answer>;
}

/** Stops reading an answer nobody will read, once it has come: the connection closes and the server stops. */
function closeAnswer(answer: Promise<Answer>): void {
  answer.then(
    (taken) => {
      if ('lines' in taken) taken.lines.cancel();
    },
    () => undefined,
  );
}

/**
 * CLIENT-17: one collection's pull pages, streamed (PULL-9), many to one request. RxDB gets them one per
 * call while it asks on from the checkpoint the last one ended at with the same limit (which it does during
 * a catch-up: it asks for the next page as soon as it has one); any other call closes the answer and sends a
 * new request. Lines are read only when asked for, so the server waits while RxDB does (PULL-9).
 *
 * NOTE: RxDB drops a stream item that came before the pull it runs, trusting that pull to hold the change.
 * A line of an answer that was under way when the item came may have been read before that commit. Lines
 * before the last are safe (RxDB asks on from them, and the change is further on), but the last one, where
 * RxDB stops, is then asked for again in a new request, which holds the change.
 */
export class StreamedPulls {
  private streamItems = 0;
  private open: OpenAnswer | null = null;
  /** The answer asked for before RxDB's first call (`requestFromStart`), until a call takes or closes it. */
  private ahead: AheadAnswer | null = null;
  /** RxDB has called: an answer asked for ahead now could close one it reads. */
  private called = false;
  /** Checkpoints of the streamed pages handed to RxDB that were not written yet, oldest first. */
  private unwritten: number[] = [];

  constructor(
    private readonly session: Pick<AuthSession, 'serverUrl' | 'timeoutMs' | 'sendStreamed'>,
    private readonly path: string,
    /** The checkpoint of the last page RxDB wrote; null when it is not writing (stopped or paused). */
    private readonly written: () => number | null,
    /** A streamed page's line parsed by `parse`, and its documents' check started (`PulledCheck.page`). */
    private readonly check: (line: string, parse: (line: string) => PullAnswer) => PullAnswer,
  ) {}

  /** A stream item (a change or RESYNC) is on its way to RxDB. */
  sawStreamItem(): void {
    this.streamItems++;
  }

  /** How many stream items were seen: taken when RxDB calls the pull handler, before any page is asked for. */
  get streamItemsSeen(): number {
    return this.streamItems;
  }

  /**
   * Asks for the pages from the start now, before RxDB's first call: RxDB sets up its replication first (~0.1 s
   * of the main thread), and the server's first pages, over a slow link their round trips too, come meanwhile.
   * RxDB's first call from the start with `limit` takes this answer; any other call closes it and asks anew.
   * For a catch-up into an empty collection (a sign-in's): elsewhere RxDB goes on from a checkpoint of its own.
   */
  requestFromStart(limit: number): void {
    if (this.called || this.ahead) return;
    const answer = this.request(null, limit);
    // A failure is RxDB's to meet, when its call takes the answer.
    answer.catch(() => undefined);
    this.ahead = { limit, streamItems: this.streamItems, answer };
  }

  /** The page from `checkpoint`, for a handler call made when `itemsWhenAsked` stream items had been seen. */
  async page(checkpoint: PullCheckpoint | null, limit: number, itemsWhenAsked: number): Promise<PullAnswer> {
    this.called = true;
    const from = checkpoint?.sequence ?? 0;
    const open = this.open;
    if (open && (open.next !== from || open.limit !== limit)) this.close();
    if (open && this.open) {
      await this.writesCaughtUp();
      const page = await this.nextPage(open.lines).catch((error: unknown) => {
        this.close();
        throw error;
      });
      if (page) this.unwritten.push(page.checkpoint.sequence);
      if (page && (page.hasMore || page.documents.length >= limit)) {
        open.next = page.checkpoint.sequence;
        return page;
      }
      this.close();
      // The last line of an answer requested after every item RxDB may have dropped holds their changes.
      if (page && open.streamItems >= itemsWhenAsked) return page;
    }
    const ahead = this.takeAhead(checkpoint, limit);
    const streamItems = ahead?.streamItems ?? this.streamItems;
    const answer = await (ahead?.answer ?? this.request(checkpoint, limit));
    if ('json' in answer) return answer.json;
    this.open = { lines: answer.lines, next: from, limit, streamItems };
    return this.page(checkpoint, limit, itemsWhenAsked);
  }

  private request(checkpoint: PullCheckpoint | null, limit: number): Promise<Answer> {
    return requestJsonOrLines<PullAnswer>(this.session.serverUrl, this.session.timeoutMs, (signal) =>
      this.session.sendStreamed(`${this.path}/pull`, {
        body: { checkpoint, limit },
        accept: PULL_PAGES_ACCEPT,
        signal,
      }),
    );
  }

  /** The answer asked for ahead, if it is the one a call from `checkpoint` with `limit` asks for; else it is closed. */
  private takeAhead(checkpoint: PullCheckpoint | null, limit: number): AheadAnswer | null {
    const ahead = this.ahead;
    this.ahead = null;
    if (!ahead || (checkpoint === null && limit === ahead.limit)) return ahead;
    closeAnswer(ahead.answer);
    return null;
  }

  /** The next page of `lines` (checked as `check` checks it); undefined at the end. */
  private async nextPage(lines: JsonLines): Promise<PullAnswer | undefined> {
    const line = await lines.nextLine();
    return line === undefined ? undefined : this.check(line, (text) => lines.parse<PullAnswer>(text));
  }

  /** Stops reading the open answer, if any: the connection closes and the server stops writing. */
  close(): void {
    this.open?.lines.cancel();
    this.open = null;
    this.unwritten = [];
    if (this.ahead) closeAnswer(this.ahead.answer);
    this.ahead = null;
  }

  /**
   * Waits while MAX_PAGES_AHEAD_OF_WRITES handed pages are not written yet; what is not read meanwhile
   * waits in the connection (PULL-9). Never longer than a request may take: a write that never comes
   * (RxDB gave up on the pages) must not stop the pull for good.
   */
  private async writesCaughtUp(): Promise<void> {
    const started = Date.now();
    for (;;) {
      const written = this.written();
      if (written === null) return;
      this.unwritten = this.unwritten.filter((sequence) => sequence > written);
      if (this.unwritten.length < MAX_PAGES_AHEAD_OF_WRITES || Date.now() - started > this.session.timeoutMs) return;
      await new Promise((resolve) => setTimeout(resolve, WRITES_POLL_MS));
    }
  }
}
