import { useQuery } from '@tanstack/react-query';
import { whyNot, type Permission } from '../../../shared/permissions';
import type { Role } from '../../../shared/protocol';
import { SCREEN_PERMISSION, type Screen } from '../state/ui-store';
import { useTRPC } from './client';

/**
 * The role the core acts with now, or null until it is known: the signed-in
 * user's (it follows the server within seconds, CLIENT-10), else the local
 * profile's. The sync status query is kept live by the header's badge, so
 * this follows it.
 */
function useKnownRole(): Role | null {
  const trpc = useTRPC();
  const me = useQuery(trpc.session.me.queryOptions());
  const status = useQuery(trpc.sync.status.queryOptions());
  const signedIn = status.data && status.data.phase !== 'signed-out' ? status.data.user : null;
  return signedIn?.role ?? me.data?.role ?? null;
}

/** The role the core acts with now; a viewer's until it is known, so nothing is offered too early. */
export function useRole(): Role {
  return useKnownRole() ?? 'viewer';
}

/** Whether the current role may do it, and if not the reason to show (the same words the core would refuse with). */
export function usePermission(permission: Permission): { allowed: boolean; reason: string | null } {
  const reason = whyNot(useRole(), permission);
  return { allowed: reason === null, reason };
}

/**
 * Whether the current role may open a screen (SCREEN_PERMISSION, from the
 * one permission table): `allowed`, `refused` with the reason, or `unknown`
 * while the role loads (an admin's reload neither flashes a refusal nor
 * hides the entry for good).
 */
export function useScreenAccess(): (
  screen: Screen,
) => { state: 'allowed' | 'unknown' } | { state: 'refused'; reason: string } {
  const role = useKnownRole();
  return (screen) => {
    const permission = SCREEN_PERMISSION[screen];
    if (!permission) return { state: 'allowed' };
    if (!role) return { state: 'unknown' };
    const reason = whyNot(role, permission);
    return reason ? { state: 'refused', reason } : { state: 'allowed' };
  };
}
