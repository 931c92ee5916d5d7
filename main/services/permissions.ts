import { AppError } from '../../shared/errors';
import type { Role } from '../../shared/protocol';
import type { ServiceContext } from './context';

const RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2 };

/**
 * Roles are enforced here, in the services, not only in the UI: viewers read,
 * editors write, trash and restore, admins also delete permanently and purge.
 */
export function requireRole(ctx: ServiceContext, needed: Role, action: string): void {
  const { role } = ctx.session();
  if (RANK[role] < RANK[needed]) {
    throw new AppError(
      'FORBIDDEN',
      `Only ${needed === 'admin' ? 'an admin' : 'an editor or admin'} can ${action}; you are signed in as a ${role}.`,
    );
  }
}
