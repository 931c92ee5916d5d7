import { AppError } from '../../shared/errors';
import type { Role } from '../../shared/protocol';
import type { ServerUser } from './auth';
import { OfflineError } from './http';

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
): string | null {
  if (phase === 'paused') return pausedReason ?? 'syncing is paused; sign in again';
  if (phase === 'signed-out' || user?.role !== 'viewer') return null;
  return demotedFrom ? 'your role is now viewer' : 'viewers cannot send changes';
}
