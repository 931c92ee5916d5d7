import { backoffDelay, type BackoffOptions } from './event-stream';
import { OfflineError, requestJson, ServerError } from './http';
import type { PendingSignOut } from './state-files';

/**
 * How long a session lives on a server that does not say (AUTH-2's default: 30 days without a refresh),
 * counted from the sign-out, which comes after the session's last refresh.
 */
export const ASSUMED_SESSION_DAYS = 30;

/** A sign-out is dropped this long after its session's end, so a clock ahead of the server's does not cut it short. */
export const CLOCK_SKEW_MARGIN_MS = 86_400_000;

/** A sign-out waiting to be sent, as the Sync screen shows it (no token). */
export interface WaitingSignOut {
  serverUrl: string;
  /** When the person signed out. */
  since: string;
  /** When the session ends on the server by itself; the sign-out is dropped after it (then moot). */
  sessionEndsAt: string;
}

/** When the session of a kept sign-out ends on the server by itself. */
export function sessionEndOf(signOut: PendingSignOut): string {
  if (signOut.sessionExpiresAt) return signOut.sessionExpiresAt;
  return new Date(Date.parse(signOut.signedOutAt) + ASSUMED_SESSION_DAYS * 86_400_000).toISOString();
}

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
 * in), and after a restart; it is forgotten once the server has answered it, or dropped (with the reason in
 * the log) once its session has ended on the server by itself: the server would answer it 204 and change
 * nothing, so it is not tried without end.
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
    private readonly options: {
      backoff: BackoffOptions;
      requestTimeoutMs: number;
      /** The clock that says whether a session has ended; default the system's. */
      now?: () => Date;
      /** Called whenever the list of waiting sign-outs changes (the status shows it). */
      onChange?: () => void;
    },
  ) {}

  /** Reads the sign-outs kept by an earlier run, drops those whose session has ended, and sends the others. */
  async restore(): Promise<void> {
    this.list = await this.store.loadSignOuts();
    const moot = this.list.filter((signOut) => this.isMoot(signOut));
    if (moot.length > 0) {
      for (const signOut of moot) this.logDropped(signOut);
      this.list = this.list.filter((signOut) => !moot.includes(signOut));
      await this.persist().catch((error: unknown) =>
        console.error('Curio: sign-outs no longer needed could not be forgotten.', error),
      );
    }
    this.options.onChange?.();
    for (const signOut of this.list) void this.send(signOut);
  }

  /** Keeps a sign-out (on disk before this resolves); `send` then tries it. */
  async add(
    serverUrl: string,
    refreshToken: string,
    signedOutAt: string,
    sessionExpiresAt: string | null = null,
  ): Promise<PendingSignOut> {
    const signOut: PendingSignOut = { serverUrl, refreshToken, signedOutAt, sessionExpiresAt };
    this.list = [...this.list.filter((kept) => kept.refreshToken !== refreshToken), signOut];
    await this.persist();
    this.options.onChange?.();
    return signOut;
  }

  /** The sign-outs waiting to be sent, oldest first, without their tokens. */
  waiting(): WaitingSignOut[] {
    return this.list.map((signOut) => ({
      serverUrl: signOut.serverUrl,
      since: signOut.signedOutAt,
      sessionEndsAt: sessionEndOf(signOut),
    }));
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

  /** Sends one sign-out now; true once it is forgotten (the server answered it, or its session had ended). */
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
    if (this.isMoot(signOut)) {
      this.logDropped(signOut);
      await this.forget(signOut);
      return true;
    }
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
    await this.forget(signOut);
    return true;
  }

  private async forget(signOut: PendingSignOut): Promise<void> {
    this.list = this.list.filter((kept) => kept !== signOut);
    this.failures.delete(signOut);
    this.options.onChange?.();
    await this.persist().catch((error: unknown) => console.error('Curio: a sign-out could not be forgotten.', error));
  }

  /** Whether the session has ended on the server by itself (with a margin for the clocks): nothing left to end. */
  private isMoot(signOut: PendingSignOut): boolean {
    return (this.options.now?.() ?? new Date()).getTime() > Date.parse(sessionEndOf(signOut)) + CLOCK_SKEW_MARGIN_MS;
  }

  private logDropped(signOut: PendingSignOut): void {
    const how = signOut.sessionExpiresAt
      ? 'as the server said when this device last signed in or refreshed'
      : `${ASSUMED_SESSION_DAYS} days after the sign-out, as the server did not say`;
    console.warn(
      `Curio: the sign-out of this device from ${signOut.serverUrl}, waiting since ${signOut.signedOutAt}, is ` +
        `dropped without reaching the server: its session ended there by itself on ${sessionEndOf(signOut)} ` +
        `(${how}), so there is nothing left to sign out.`,
    );
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
