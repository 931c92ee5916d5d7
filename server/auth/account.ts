import { AppError } from '../../shared/errors';
import { passwordChangeRequest, type OwnSession } from '../../shared/team';
import { parseOrThrow } from '../../shared/validation';
import { clearLoginWaits, isRetryLater, RetryLaterError } from '../limits';
import type { SessionRow, Store } from '../store';
import { checkPasswordPolicy, hashPassword, type PasswordHashing } from './passwords';
import { recordServerAudit } from './server-audit';
import { revokeSessionById } from './session-admin';
import type { Auth, Principal } from './sessions';

/**
 * Each user's own account (ACCOUNT-*): their sessions and their password.
 * Everything acts on the signed-in principal only; another user's session
 * id is answered as unknown.
 */

function self(principal: Principal) {
  return { id: principal.user.id, name: principal.user.username };
}

/** Ends the user's live sessions other than `keep` (null: all); how many ended. */
async function endSessions(
  store: Store,
  principal: Principal,
  keep: string | null,
  reason: string,
  ip: string,
): Promise<number> {
  const { changes } = await store.sql.run(
    `UPDATE sessions SET revoked_at = ?, revoked_reason = ?
     WHERE user_id = ? AND revoked_at IS NULL AND id <> ?`,
    [new Date().toISOString(), reason, principal.user.id, keep ?? ''],
  );
  if (changes > 0) {
    await recordServerAudit(store.sql, {
      action: 'session.revoked',
      actor: self(principal),
      subject: self(principal),
      ip,
      detail: { reason, sessions: changes, kept: keep },
    });
  }
  return changes;
}

/** ACCOUNT-2: the user's live sessions, most recently used first; `current` is the one asking. */
export async function ownSessions(store: Store, principal: Principal): Promise<{ sessions: OwnSession[] }> {
  const rows = await store.sql.all<SessionRow>(
    `SELECT * FROM sessions WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ? ORDER BY last_used_at DESC`,
    [principal.user.id, new Date().toISOString()],
  );
  return {
    sessions: rows.map((row) => ({
      id: row.id,
      device: row.device,
      ip: row.ip,
      createdAt: row.created_at,
      lastUsedAt: row.last_used_at,
      expiresAt: row.expires_at,
      current: row.id === principal.sessionId,
    })),
  };
}

/** ACCOUNT-2: signs one of the user's own sessions out (this one too, if asked). */
export async function revokeOwnSession(
  store: Store,
  principal: Principal,
  sessionId: string,
  ip: string,
): Promise<{ revoked: true; current: boolean }> {
  const by = { reason: 'revoked-by-user', ownerId: principal.user.id };
  await revokeSessionById(store, sessionId, self(principal), ip, by);
  return { revoked: true, current: sessionId === principal.sessionId };
}

/** ACCOUNT-2: signs every other device out; this one stays. */
export function revokeOtherSessions(store: Store, principal: Principal, ip: string): Promise<number> {
  return endSessions(store, principal, principal.sessionId, 'revoked-by-user', ip);
}

/**
 * ACCOUNT-1: the user changes their own password. The current one is
 * checked like a sign-in (throttled, audited); a wrong one is a field error,
 * not a 401, which the app would take for an ended session. Every other
 * session of the user ends; this one stays.
 */
export async function changeOwnPassword(
  store: Store,
  auth: Auth,
  hashing: PasswordHashing,
  principal: Principal,
  input: unknown,
  ip: string,
): Promise<{ sessionsEnded: number }> {
  const body = parseOrThrow(passwordChangeRequest, input, 'The password change');
  try {
    await auth.checkPassword({ username: principal.user.username, password: body.currentPassword }, ip);
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'UNAUTHORIZED') throw error;
    // NOTE: never 401 here: the app would take it for an ended session and sign the user out.
    if (isRetryLater(error)) {
      const message = `The current password is wrong, and there were too many tries: try again in ${error.retryAfterSeconds} s.`;
      throw new RetryLaterError('RATE_LIMITED', message, error.retryAfterSeconds);
    }
    if (error.message.includes('disabled')) throw new AppError('FORBIDDEN', error.message);
    const message = 'The current password is wrong. Type the password you signed in with.';
    throw new AppError('VALIDATION', message, [{ field: 'currentPassword', message }]);
  }
  await checkPasswordPolicy(body.newPassword, { username: principal.user.username, name: principal.user.name });
  const now = new Date().toISOString();
  await store.sql.run('UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?', [
    await hashPassword(body.newPassword, hashing),
    now,
    principal.user.id,
  ]);
  await clearLoginWaits(store.sql, principal.user.username);
  await recordServerAudit(store.sql, {
    action: 'user.password-changed',
    actor: self(principal),
    subject: self(principal),
    ip,
    detail: { by: 'self' },
  });
  return { sessionsEnded: await endSessions(store, principal, principal.sessionId, 'password-changed', ip) };
}
