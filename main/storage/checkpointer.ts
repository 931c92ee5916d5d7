import type { Worker } from 'node:worker_threads';
import type { CheckpointAnswer, CheckpointWorkerInput } from './checkpoint-worker';
import type { DatabaseKey } from './encryption';
import { chosenSqliteBinding } from './native-binding';
import { startWorker } from '../threads';

/**
 * Copies a database file's WAL back into the file on a thread of its own (a PASSIVE checkpoint on a
 * connection of that thread), so the copy after a catch-up's pulled pages does not hold the main thread,
 * where every screen's request and every save waits behind it (docs/decisions.md, "Checkpoints off the
 * main thread"). The write connection keeps its own automatic checkpoint as the bound on the WAL: it then
 * copies only what this one has not, and skips its turn while this one runs.
 */
export class WalCheckpointer {
  private worker: Worker | undefined;
  private running = false;
  private again = false;
  private closed = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly filePath: string,
    private readonly key: DatabaseKey,
    /** Where this code runs from (a test passes the built main bundle's, to start the built worker). */
    private readonly moduleUrl: string = import.meta.url,
  ) {}

  /** True while a checkpoint runs on the thread. */
  get busy(): boolean {
    return this.running;
  }

  /** Asks for a checkpoint. One runs at a time; asked while one runs, one more follows it. */
  request(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    this.started().postMessage(null);
  }

  /** Resolves once no checkpoint runs or is asked for. */
  idle(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Ends the thread. A checkpoint it runs finishes first (SQLite's call is not interrupted); its connection
   * then closes with the thread.
   */
  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = undefined;
    this.finished();
    await worker?.terminate();
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const workerData: CheckpointWorkerInput = {
      file: this.filePath,
      key: this.key ? new Uint8Array(this.key) : null,
      nativeBinding: chosenSqliteBinding() ?? null,
    };
    const worker = startWorker('checkpoint-worker', workerData, this.moduleUrl);
    // An idle checkpointer never keeps the app (or a test, or a script) from exiting.
    worker.unref();
    worker.on('message', (answer: CheckpointAnswer) => this.answered(answer));
    worker.on('error', (error) => {
      // The write connection's own checkpoints still bound the WAL; the next request starts a new thread.
      console.error(
        'Curio: the checkpoint thread failed; checkpoints run on the main thread until it restarts.',
        error,
      );
      if (this.worker === worker) this.worker = undefined;
      this.finished();
    });
    this.worker = worker;
    return worker;
  }

  private answered(answer: CheckpointAnswer): void {
    if (!answer.ok) console.error(`Curio: a checkpoint of ${this.filePath} failed: ${answer.message}`);
    if (this.again && this.worker) {
      this.again = false;
      this.worker.postMessage(null);
      return;
    }
    this.finished();
  }

  private finished(): void {
    this.running = false;
    this.again = false;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
