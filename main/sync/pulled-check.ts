import type { Worker } from 'node:worker_threads';
import type { ReplicatedCollection } from '../../shared/protocol';
import { markPageChecked, type PageVerdict } from '../../shared/rx-zod-validator';
import { startWorker } from '../threads';
import type { PulledCheckAnswer, PulledCheckRequest } from './pulled-check-worker';
import { documentsOfLine, invalidIds } from './pulled-problems';

/** A page line this long (a few hundred documents) is part of a catch-up: the thread is started for it. */
const CATCH_UP_LINE_LENGTH = 128 * 1024;

interface Waiting {
  request: PulledCheckRequest;
  resolve: (verdict: PageVerdict) => void;
}

/**
 * Checks the pulled pages of a catch-up against this build's zod schemas on a worker thread, while the main
 * thread parses each page and writes the ones before it: the storage then waits for a page's verdict instead
 * of checking its documents itself (markPageChecked in shared/rx-zod-validator.ts; docs/decisions.md, "Pulled
 * pages checked on a thread of their own"). The thread starts with a catch-up's first page; until it has
 * loaded the schemas, and should it fail, the storage checks the documents as it checks every other write.
 */
export class PulledCheck {
  private worker: Worker | undefined;
  /** The thread has loaded the schemas (a few hundred ms after it starts). */
  private workerReady = false;
  private workerFailed = false;
  private nextId = 0;
  private readonly waiting = new Map<number, Waiting>();

  constructor(
    /** Where this code runs from (a test passes the built main bundle's, to start the built worker). */
    private readonly moduleUrl: string = import.meta.url,
  ) {}

  /**
   * `collection`'s page `line`, parsed by `parse` on this thread while the thread checks its documents: the
   * storage's write of them waits for that check instead of making it, and stores each document as the line
   * holds it (markPageChecked). Before the thread is ready, and should it fail, the storage checks them itself.
   * NOTE: `parse` must hand on the line's value as it reads (JSON.parse, JsonLines.parse): the storage stores a
   * document's text from the line while the written document holds the very values parsed.
   */
  page<T extends { documents: readonly object[] }>(
    collection: ReplicatedCollection,
    line: string,
    parse: (line: string) => T,
  ): T {
    const verdict = this.check(collection, line);
    const page = parse(line);
    if (verdict) markPageChecked(collection, page.documents as Record<string, unknown>[], verdict, line);
    return page;
  }

  /**
   * Starts the thread now, ahead of the catch-up a sign-in brings: it loads the schemas while the replications
   * start and ask for their first pages, and so takes the first pages too, which the storage would otherwise
   * check on the main thread while the thread loads beside their writes.
   */
  startAhead(): void {
    this.started();
  }

  /** The thread has loaded the schemas: pages go to it from now on. */
  get ready(): boolean {
    return this.workerReady;
  }

  /** The thread's verdict on the documents of `line`; undefined while it is not ready. Never rejects. */
  private check(collection: ReplicatedCollection, line: string): Promise<PageVerdict> | undefined {
    // A few changes are checked by the storage at no cost worth a thread; a catch-up's first page starts it.
    const worker = line.length >= CATCH_UP_LINE_LENGTH ? this.started() : this.worker;
    if (!worker || !this.workerReady) return undefined;
    const request: PulledCheckRequest = { id: this.nextId++, collection, line };
    return new Promise((resolve) => {
      this.waiting.set(request.id, { request, resolve });
      worker.postMessage(request);
    });
  }

  /** Ends the thread; checks still waiting for it are made here. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.stopped();
    await worker?.terminate();
  }

  private started(): Worker | undefined {
    if (this.worker || this.workerFailed) return this.worker;
    const worker = startWorker('pulled-check-worker', null, this.moduleUrl);
    // An idle check never keeps the app (or a test, or a script) from exiting.
    worker.unref();
    worker.on('message', (answer: PulledCheckAnswer) => this.answered(answer));
    worker.on('error', (error) => {
      console.error('Curio: the thread that checks pulled documents failed; the storage checks them.', error);
      this.stopped();
    });
    // A write waits for its page's verdict: a thread gone by any other way must not leave it waiting.
    worker.on('exit', () => {
      if (this.worker === worker) this.stopped();
    });
    this.worker = worker;
    return worker;
  }

  private answered(answer: PulledCheckAnswer): void {
    if ('ready' in answer) {
      this.workerReady = true;
      return;
    }
    const waiting = this.waiting.get(answer.id);
    if (!waiting) return;
    this.waiting.delete(answer.id);
    if (answer.invalid) waiting.resolve({ invalid: new Set(answer.invalid), spans: answer.spans });
    else this.checkHere(waiting);
  }

  private stopped(): void {
    this.worker = undefined;
    this.workerReady = false;
    this.workerFailed = true;
    const waiting = [...this.waiting.values()];
    this.waiting.clear();
    for (const entry of waiting) this.checkHere(entry);
  }

  /**
   * The check the thread did not make. A line it could not read is refused by the parse of the caller, which
   * never hands its documents on: whatever this says, nothing of it is written.
   */
  private checkHere({ request, resolve }: Waiting): void {
    let documents: unknown[] = [];
    try {
      documents = documentsOfLine(request.line);
    } catch {
      // See above: the caller's parse fails the same way.
    }
    resolve({ invalid: new Set(invalidIds(request.collection, documents)), spans: null });
  }
}
