import type { Actor } from '../../shared/entities/envelope';
import { roleAtLeast } from '../../shared/permissions';
import type { Role } from '../../shared/protocol';
import type { AuthSession, ServerUser } from './auth';
import { ServerError } from './http';
import { actorOf } from './run';

/** Who acts in the services: the engine switches it to the signed-in user. */
export interface ActingSession {
  actor: Actor;
  role: Role;
}

export function actingSessionOf(user: ServerUser): ActingSession {
  return { actor: actorOf(user), role: user.role };
}

/** Whether `user`'s role lets this device push its changes (a viewer only pulls). */
export function canPushAs(user: ServerUser): boolean {
  return user.role !== 'viewer';
}

/** A refused push asks the server for the user's role at most this often. */
const ROLE_CHECK_INTERVAL_MS = 10_000;

/**
 * Follows the signed-in user's role and name as the server reports them. A
 * change reaches the device with the next token refresh, which the server's
 * `user` event (STREAM-6) or a refused push asks for at once (CLIENT-10). The
 * role the server took away is kept for the notice ("your role is now …").
 */
export class RoleWatch {
  /** The role the server took away during this session, or null. */
  demotedFrom: Role | null = null;
  private lastCheck = 0;

  /** A new sign-in: nothing was taken away yet. */
  reset(): void {
    this.demotedFrom = null;
  }

  /**
   * Compares the user a refresh carried with the one this device knew; true
   * when the role or name changed. A lost role is kept for the notice, a
   * regained one clears it.
   */
  observe(known: ServerUser | null, next: ServerUser): boolean {
    if (!known || (known.role === next.role && known.name === next.name)) return false;
    if (!roleAtLeast(next.role, known.role)) this.demotedFrom = known.role;
    else if (next.role !== known.role) this.demotedFrom = null;
    return true;
  }

  /** Asks the server who the user is now: a refresh carries the user, and `observe` sees it. */
  check(auth: AuthSession): Promise<void> {
    this.lastCheck = Date.now();
    return auth.refreshAgain();
  }

  /** A refused push may mean the role changed since the last refresh: worth asking, but not at every retry. */
  shouldCheckAfter(error: unknown): boolean {
    return error instanceof ServerError && error.status === 403 && Date.now() - this.lastCheck > ROLE_CHECK_INTERVAL_MS;
  }
}
