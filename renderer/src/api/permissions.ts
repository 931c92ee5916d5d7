import { useQuery } from '@tanstack/react-query';
import { whyNot, type Permission } from '../../../shared/permissions';
import type { Role } from '../../../shared/protocol';
import { useTRPC } from './client';

/**
 * The role the core acts with now: the signed-in user's (it follows the
 * server within seconds, CLIENT-10), else the local profile's. The sync
 * status query is kept live by the header's badge, so this follows it.
 */
export function useRole(): Role {
  const trpc = useTRPC();
  const me = useQuery(trpc.session.me.queryOptions());
  const status = useQuery(trpc.sync.status.queryOptions());
  const signedIn = status.data && status.data.phase !== 'signed-out' ? status.data.user : null;
  return signedIn?.role ?? me.data?.role ?? 'viewer';
}

/** Whether the current role may do it, and if not the reason to show (the same words the core would refuse with). */
export function usePermission(permission: Permission): { allowed: boolean; reason: string | null } {
  const reason = whyNot(useRole(), permission);
  return { allowed: reason === null, reason };
}
