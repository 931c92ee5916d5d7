import { AppError } from '../../shared/errors';
import type { Role } from '../../shared/protocol';
import type { Run } from './run';
import { SessionGoneError, type ServerUser } from './auth';
import { OfflineError, ServerError } from './http';
import { SERVER_BEHIND_REASON } from './schema-versions';
import type { WaitingSignOut } from './sign-outs';

/**
 * - `signed-out`: no server; everything is local.
 * - `connecting`: signed in, first connection under way.
 * - `offline`: the server cannot be reached; retrying with backoff.
 * - `syncing`: connected, changes moving.
 * - `in-sync`: connected, nothing waiting either way.
 * - `paused`: the server ended the session (or refuses this version); sign in again.
 */
export const SYNC_PHASES = ['signed-out', 'connecting', 'offline', 'syncing', 'in-sync', 'paused'] as const;
export type SyncPhase = (typeof SYNC_PHASES)[number];

/** What the sync badge and screen show. */
export interface SyncStatus {
  phase: SyncPhase;
  serverUrl: string | null;
  user: ServerUser | null;
  /** Catalog entries with local changes not yet pushed (one per entry, however many edits). */
  pending: number;
  /**
   * Why the waiting changes cannot be sent now, in words for the badge ("your role is now viewer");
   * null while they can (offline is a phase of its own and resolves by itself).
   */
  notSentReason: string | null;
  lastSyncAt: string | null;
  /** The last problem, in words a person can act on; cleared once in sync. */
  lastError: string | null;
  /**
   * Sign-outs of this device the server has not heard of yet (CLIENT-19): where, since when, and when the
   * session ends there by itself (they are dropped after it). Shown whether or not anyone is signed in.
   */
  signOutsWaiting: WaitingSignOut[];
}

/** A sync failure as a sentence for the status line. */
export function describeError(error: unknown): string {
  if (error instanceof OfflineError || error instanceof AppError) return error.message;
  if (error instanceof Error && error.name === 'TimeoutError') {
    return 'The sync server took too long to answer; retrying.';
  }
  if (error instanceof Error) return `Syncing failed: ${error.message}`;
  return 'Syncing failed for an unknown reason; retrying.';
}

/** Why waiting changes cannot be sent in this state, or null when they can (or wait only for the network). */
export function notSentReason(
  phase: SyncPhase,
  user: ServerUser | null,
  demotedFrom: Role | null,
  pausedReason: string | null,
  serverBehind = false,
): string | null {
  if (phase === 'paused') return pausedReason ?? 'syncing is paused; sign in again';
  if (serverBehind) return SERVER_BEHIND_REASON;
  if (phase === 'signed-out' || user?.role !== 'viewer') return null;
  return demotedFrom ? 'your role is now viewer' : 'viewers cannot send changes';
}

/**
 * Errors after which retrying is pointless and the run pauses: the session ended, or the app is too old (426).
 * A server older than the app is not fatal: the client keeps asking, and syncs once the server is upgraded.
 */
export function isFatal(error: unknown): boolean {
  return (
    error instanceof SessionGoneError || (error instanceof ServerError && error.status === 426 && !error.serverBehind)
  );
}

/** The server answered that it is older than this app (SCHEMA-5). */
export function isServerBehind(error: unknown): boolean {
  return error instanceof ServerError && error.serverBehind;
}

/** Why a run paused, for the badge's "not sent" words. */
export function pausedReasonOf(error: unknown): string {
  if (!(error instanceof SessionGoneError)) return 'this version of Curio is too old for the server; update it';
  if (!error.why) return 'your session on the server ended; sign in again';
  // A clause in the badge's "not sent: …" words: the server's sentence without its capital and full stop.
  return `${error.why.charAt(0).toLowerCase()}${error.why.slice(1)}`.replace(/\.$/, '');
}

/** What the engine knows besides its run. */
export interface StatusFacts {
  /** Catalog entries with waiting changes (what the badge counts). */
  waitingEntries: number;
  /** Every waiting document, audit entries and conflict records included (what keeps the phase "syncing"). */
  waitingDocuments: number;
  serverUrl: string | null;
  demotedFrom: Role | null;
  pausedReason: string | null;
  lastSyncAt: string | null;
  lastError: string | null;
  /** The replication starts again (pulled writes lost, or the role changed): not in sync, whatever the run says. */
  restarting: boolean;
  signOutsWaiting: WaitingSignOut[];
}

/** The status of a run (or of none: signed out). A viewer's waiting changes do not make it "syncing". */
export function syncStatusOf(run: Run | null, facts: StatusFacts): SyncStatus {
  let phase: SyncPhase;
  if (!run) phase = 'signed-out';
  else if (run.paused) phase = 'paused';
  else if (!run.connected) phase = run.unreachable ? 'offline' : 'connecting';
  else if (facts.restarting || run.active.size > 0 || (run.canPush && facts.waitingDocuments > 0)) phase = 'syncing';
  else phase = 'in-sync';
  const user = run?.auth.user ?? null;
  const pending = facts.waitingEntries;
  return {
    phase,
    serverUrl: facts.serverUrl,
    user,
    pending,
    notSentReason:
      pending > 0
        ? notSentReason(phase, user, facts.demotedFrom, facts.pausedReason, run?.serverBehind === true)
        : null,
    lastSyncAt: facts.lastSyncAt,
    lastError: facts.lastError,
    signOutsWaiting: facts.signOutsWaiting,
  };
}

/** Whether two statuses would show the same: an unchanged status is not published again. */
export function sameStatus(a: SyncStatus, b: SyncStatus): boolean {
  return (
    a.phase === b.phase &&
    a.pending === b.pending &&
    a.notSentReason === b.notSentReason &&
    a.lastError === b.lastError &&
    a.lastSyncAt === b.lastSyncAt &&
    a.serverUrl === b.serverUrl &&
    a.user?.id === b.user?.id &&
    a.user?.role === b.user?.role &&
    sameSignOuts(a.signOutsWaiting, b.signOutsWaiting)
  );
}

function sameSignOuts(a: readonly WaitingSignOut[], b: readonly WaitingSignOut[]): boolean {
  return (
    a.length === b.length &&
    a.every(
      (signOut, i) =>
        signOut.serverUrl === b[i]!.serverUrl &&
        signOut.since === b[i]!.since &&
        signOut.sessionEndsAt === b[i]!.sessionEndsAt,
    )
  );
}
