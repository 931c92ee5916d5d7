import { backoffDelay, type BackoffOptions } from './event-stream';
import { OfflineError, requestJson, ServerError } from './http';
import type { PendingSignOut } from './state-files';

/** Where the pending sign-outs are kept (the credential store: they hold refresh tokens). */
export interface SignOutStore {
  loadSignOuts(): Promise<PendingSignOut[]>;
  saveSignOuts(signOuts: PendingSignOut[]): Promise<void>;
}

/**
 * Answers after which sending the sign-out again can still succeed: no answer at all, a server failing or
 * overloaded, or one too new for this app (426, until the app is updated). Any other answer is final:
 * AUTH-4 answers 204 for a session revoked now, revoked before, expired or unknown.
 */
function worthRetrying(error: unknown): boolean {
  if (error instanceof OfflineError) return true;
  if (!(error instanceof ServerError)) return false;
  return error.status >= 500 || error.status === 408 || error.status === 426 || error.status === 429;
}

/**
 * CLIENT-19: sign-outs that could not reach the server. Each is kept (with the session's refresh token)
 * before anything is sent, sent to AUTH-4 now, again with backoff while the server cannot be reached,
 * at once when it answers anything else of this device (a sign-in, the replication of whoever is signed
 * in), and after a restart; it is forgotten once the server has answered it.
 */
export class PendingSignOuts {
  private list: PendingSignOut[] = [];
  private readonly failures = new Map<PendingSignOut, { count: number; offline: boolean }>();
  private readonly timers = new Map<PendingSignOut, ReturnType<typeof setTimeout>>();
  private readonly sending = new Map<PendingSignOut, Promise<boolean>>();
  private saving: Promise<void> = Promise.resolve();
  private readonly stopped = new AbortController();

  constructor(
    private readonly store: SignOutStore,
    private readonly options: { backoff: BackoffOptions; requestTimeoutMs: number },
  ) {}

  /** Reads the sign-outs kept by an earlier run and starts sending them. */
  async restore(): Promise<void> {
    this.list = await this.store.loadSignOuts();
    for (const signOut of this.list) void this.send(signOut);
  }

  /** Keeps a sign-out (on disk before this resolves); `send` then tries it. */
  async add(serverUrl: string, refreshToken: string, signedOutAt: string): Promise<PendingSignOut> {
    const signOut: PendingSignOut = { serverUrl, refreshToken, signedOutAt };
    this.list = [...this.list.filter((kept) => kept.refreshToken !== refreshToken), signOut];
    await this.persist();
    return signOut;
  }

  /**
   * The server at `serverUrl` answered this device: the sign-outs waiting for it after a failed connection
   * are sent now rather than after their backoff. Those a failing server refused keep their backoff.
   */
  reachable(serverUrl: string): void {
    for (const signOut of this.list) {
      if (signOut.serverUrl !== serverUrl || this.sending.has(signOut)) continue;
      if (this.failures.get(signOut)?.offline === false) continue;
      void this.send(signOut);
    }
  }

  /** Sends one sign-out now; true once the server has answered it (it is then forgotten). */
  send(signOut: PendingSignOut): Promise<boolean> {
    const under = this.sending.get(signOut);
    if (under) return under;
    clearTimeout(this.timers.get(signOut));
    this.timers.delete(signOut);
    if (this.stopped.signal.aborted || !this.list.includes(signOut)) return Promise.resolve(false);
    const attempt = this.attempt(signOut).finally(() => this.sending.delete(signOut));
    this.sending.set(signOut, attempt);
    return attempt;
  }

  /** Stops sending (the engine closes); the sign-outs stay kept for the next run. */
  async close(): Promise<void> {
    this.stopped.abort();
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.sending.values()]);
    await this.saving;
  }

  private async attempt(signOut: PendingSignOut): Promise<boolean> {
    try {
      await requestJson(signOut.serverUrl, '/v1/auth/logout', {
        body: { refreshToken: signOut.refreshToken },
        timeoutMs: this.options.requestTimeoutMs,
        signal: this.stopped.signal,
      });
    } catch (error) {
      if (this.stopped.signal.aborted) return false;
      if (worthRetrying(error)) {
        this.retryLater(signOut, error instanceof OfflineError);
        return false;
      }
      // NOTE: a refusal that sending again cannot change (a malformed token): the session expires by itself.
      console.warn(
        `Curio: the server at ${signOut.serverUrl} refused a sign-out of this device; not sent again.`,
        error,
      );
    }
    this.list = this.list.filter((kept) => kept !== signOut);
    this.failures.delete(signOut);
    await this.persist().catch((error: unknown) =>
      console.error('Curio: a sent sign-out could not be forgotten.', error),
    );
    return true;
  }

  private retryLater(signOut: PendingSignOut, offline: boolean): void {
    const count = (this.failures.get(signOut)?.count ?? 0) + 1;
    this.failures.set(signOut, { count, offline });
    const timer = setTimeout(() => void this.send(signOut), backoffDelay(count - 1, this.options.backoff));
    // A waiting sign-out alone does not keep the process alive; it is sent at the next start.
    timer.unref?.();
    this.timers.set(signOut, timer);
  }

  /** Writes the list as it is now, one write after another. */
  private persist(): Promise<void> {
    const write = this.saving.then(() => this.store.saveSignOuts(this.list));
    this.saving = write.catch(() => undefined);
    return write;
  }
}
