import { AppError } from '../../shared/errors';
import { roleAtLeast, whyNot, withArticle, type Permission } from '../../shared/permissions';
import type { Role } from '../../shared/protocol';
import type { ServiceContext } from './context';

/**
 * Roles are enforced here, in the services, not only in the UI: the table in
 * shared/permissions.ts says what each role may do, and the screens follow
 * the same table. A demoted user's next write is refused here with the reason.
 */
export function requirePermission(ctx: ServiceContext, permission: Permission): void {
  const reason = whyNot(ctx.session().role, permission);
  if (reason) throw new AppError('FORBIDDEN', reason);
}

/** For a check the permission table does not name: the least role, and the action in words. */
export function requireRole(ctx: ServiceContext, needed: Role, action: string): void {
  const { role } = ctx.session();
  if (!roleAtLeast(role, needed)) {
    throw new AppError(
      'FORBIDDEN',
      `Only ${needed === 'admin' ? 'an admin' : 'an editor or admin'} can ${action}; you are signed in as ${withArticle(role)}.`,
    );
  }
}
