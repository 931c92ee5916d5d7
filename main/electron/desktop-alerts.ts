import { can } from '../../shared/permissions';
import type { Role } from '../../shared/protocol';

/**
 * When the desktop app speaks up outside its window: an OS notification for new conflicts (to
 * those who resolve them) and for sync that has been stuck for a while (to everyone), and the dock
 * or taskbar badge with the open conflicts. Pure rules over facts the wiring reads from the core
 * (desktop-alerts-wiring.ts), so they are tested in Node.
 */

/** The switches in Settings (main/services/settings.ts holds them). */
export interface AlertSettings {
  notifyConflicts: boolean;
  notifySyncPaused: boolean;
  conflictBadge: boolean;
}

export interface OpenConflict {
  id: string;
  entityTitle: string;
}

/** What the sync status says, as far as the alerts care (main/sync's `SyncStatus` fits). */
export interface SyncFacts {
  phase: string;
  /** Why waiting changes cannot be sent (role, session, version); null while they can. */
  notSentReason: string | null;
  lastError: string | null;
}

export interface Notice {
  title: string;
  body: string;
}

/** Offline is left alone (it mends itself); a stop that needs a person is told after this long. */
export const SYNC_STUCK_AFTER_MS = 5 * 60_000;

export function createAlertRules(options: { stuckAfterMs?: number } = {}) {
  const stuckAfterMs = options.stuckAfterMs ?? SYNC_STUCK_AFTER_MS;
  /** Every conflict already seen: each is told once, and the ones open at start-up are not "new". */
  let seen: Set<string> | null = null;
  let stuckSince: number | null = null;
  let stuckTold = false;

  return {
    /** A notice for conflicts not seen before, if this role resolves them and the switch is on. */
    conflicts(open: readonly OpenConflict[], role: Role, settings: AlertSettings): Notice | null {
      const first = seen === null;
      const known = seen ?? new Set<string>();
      const fresh = open.filter((conflict) => !known.has(conflict.id));
      for (const conflict of fresh) known.add(conflict.id);
      seen = known;
      // Seen even when not told: switching notifications on later does not replay old conflicts.
      if (first || fresh.length === 0 || !settings.notifyConflicts || !can(role, 'resolveConflicts')) return null;
      const [only] = fresh;
      return fresh.length === 1 && only
        ? {
            title: 'New sync conflict',
            body: `${only.entityTitle} was changed in two places. Open Conflicts to choose.`,
          }
        : {
            title: `${fresh.length} new sync conflicts`,
            body: 'Entries were changed in two places. Open Conflicts to choose.',
          };
    },

    /** The number on the dock or taskbar icon: open conflicts for those who resolve them, else none. */
    badge(openCount: number, role: Role, settings: AlertSettings): number {
      return settings.conflictBadge && can(role, 'resolveConflicts') ? openCount : 0;
    },

    /**
     * A notice once sync has stayed stopped for `stuckAfterMs` in a way only a person can mend: the
     * run paused (session ended, app too old) or changes wait that this user may not send (role
     * changed). Called on every status change and by a timer; told once per stop.
     */
    sync(status: SyncFacts, now: number, settings: AlertSettings): Notice | null {
      const stuck = status.phase === 'paused' || status.notSentReason !== null;
      if (!stuck) {
        stuckSince = null;
        stuckTold = false;
        return null;
      }
      stuckSince ??= now;
      if (stuckTold || now - stuckSince < stuckAfterMs || !settings.notifySyncPaused) return null;
      stuckTold = true;
      const minutes = Math.floor((now - stuckSince) / 60_000);
      const why = (status.notSentReason ?? status.lastError ?? 'sign in again on the Sync screen').replace(/\.$/, '');
      return { title: 'Curio is not syncing', body: `Changes have not been sent for ${minutes} minutes: ${why}.` };
    },

    /** When the stuck timer should look again, or null when nothing is pending. */
    nextSyncCheck(now: number): number | null {
      if (stuckSince === null || stuckTold) return null;
      return Math.max(0, stuckSince + stuckAfterMs - now);
    },
  };
}

export type AlertRules = ReturnType<typeof createAlertRules>;
