import { AppError } from '../../shared/errors';
import type { Consequence, TeamSession } from '../../shared/team';
import type { SessionRow, Store } from '../store';
import { recordServerAudit } from './server-audit';
import type { Actor } from './users';

/** A session as admins see it (ADMIN-2). One shape: shared/team. */
export type SessionView = TeamSession;

type SessionJoinRow = SessionRow & { username: string | null };

function toView(row: SessionJoinRow): SessionView {
  return {
    id: row.id,
    userId: row.user_id,
    username: row.username,
    device: row.device,
    ip: row.ip,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    revokedReason: row.revoked_reason,
  };
}

/** What ending the user's live sessions would do, for the admin's question before a change (ADMIN-1). */
export async function consequenceOf(store: Store, userId: string, when: Consequence['when']): Promise<Consequence> {
  if (when === 'none') return { sessionsEnded: 0, devices: [], when };
  const live = await listSessions(store, { userId });
  return { sessionsEnded: live.length, devices: live.map((session) => session.device), when };
}

/** Live sessions (not revoked, not expired), most recently used first; `all` includes ended ones. */
export async function listSessions(
  store: Store,
  options: { all?: boolean; userId?: string } = {},
): Promise<SessionView[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (!options.all) {
    where.push('s.revoked_at IS NULL AND s.expires_at > ?');
    params.push(new Date().toISOString());
  }
  if (options.userId) {
    where.push('s.user_id = ?');
    params.push(options.userId);
  }
  const rows = await store.sql.all<SessionJoinRow>(
    `SELECT s.*, u.username AS username FROM sessions s LEFT JOIN users u ON u.id = s.user_id
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY s.last_used_at DESC`,
    params,
  );
  return rows.map(toView);
}

/**
 * Ends one session (ADMIN-2 by an admin, ACCOUNT-2 by its user: then `ownerId` limits it to their own,
 * and another user's session is as unknown as a missing one).
 */
export async function revokeSessionById(
  store: Store,
  sessionId: string,
  actor: Actor,
  ip: string | null,
  by: { reason: string; ownerId?: string } = { reason: 'revoked-by-admin' },
): Promise<void> {
  const row = await store.sql.get<SessionJoinRow>(
    'SELECT s.*, u.username AS username FROM sessions s LEFT JOIN users u ON u.id = s.user_id WHERE s.id = ?',
    [sessionId],
  );
  if (!row || (by.ownerId !== undefined && row.user_id !== by.ownerId)) {
    const message = by.ownerId
      ? 'You have no session with this id; it may have ended already.'
      : 'No session has this id.';
    throw new AppError('NOT_FOUND', message);
  }
  if (row.revoked_at) return;
  await store.sql.run('UPDATE sessions SET revoked_at = ?, revoked_reason = ? WHERE id = ?', [
    new Date().toISOString(),
    by.reason,
    sessionId,
  ]);
  await recordServerAudit(store.sql, {
    action: 'session.revoked',
    actor,
    subject: { id: row.user_id, name: row.username ?? row.user_id },
    ip,
    detail: { sessionId, reason: by.reason },
  });
}
