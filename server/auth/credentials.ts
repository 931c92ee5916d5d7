import { AppError } from '../../shared/errors';
import { addressKey, createLoginBackoff, RetryLaterError, type LoginBackoffSettings } from '../limits';
import type { Store, UserRow } from '../store';
import { hashPassword, verifyPassword, type PasswordHashing } from './passwords';
import { recordServerAudit } from './server-audit';
import { newRefreshToken } from './tokens';
import { findUserByUsername } from './users';

const WRONG_CREDENTIALS = 'Wrong user name or password.';

/** One text for every refusal that carries a wait, whether or not the account exists (AUTH-7). */
function waitMessage(seconds: number): string {
  return `Wrong user name or password, or too many attempts: try again in ${seconds} s.`;
}

export interface CredentialCheck {
  /** The account these credentials sign in to; else an audited refusal (AUTH-1, AUTH-7). */
  check(input: { username: string; password: string }, ip: string): Promise<UserRow>;
}

/**
 * Sign-in's password check behind the backoff of AUTH-7. The answers and the
 * work done depend only on the user name as typed and the client address,
 * never on whether an account has that name: an unknown name, a wrong
 * password and a waiting pair cost one argon2 verification each (against a
 * throwaway hash where there is no hash to check) and answer alike.
 */
export async function createCredentialCheck(
  store: Store,
  settings: { hashing: PasswordHashing; loginBackoff: LoginBackoffSettings },
): Promise<CredentialCheck> {
  const sql = store.sql;
  const backoff = createLoginBackoff(sql, settings.loginBackoff);
  const decoyHash = await hashPassword(newRefreshToken(), settings.hashing);

  return {
    async check(input, ip) {
      const address = addressKey(ip);
      const claim = await backoff.claim(input.username, address);
      const user = await findUserByUsername(store, input.username);
      const attempted = { id: user?.id ?? null, name: input.username.slice(0, 100) };
      // NOTE: a waiting pair is verified against the throwaway hash: same time, and a right guess proves nothing.
      const checked = claim.allowed ? user : undefined;
      const ok = await verifyPassword(checked?.password_hash ?? decoyHash, input.password);
      if (!claim.allowed) {
        await recordServerAudit(sql, {
          action: 'login.failed',
          subject: attempted,
          ip,
          detail: { reason: 'waiting', retryAfterSeconds: claim.retryAfterSeconds },
        });
        throw new RetryLaterError('RATE_LIMITED', waitMessage(claim.retryAfterSeconds), claim.retryAfterSeconds);
      }
      if (!checked || !ok) {
        await recordServerAudit(sql, {
          action: 'login.failed',
          subject: attempted,
          ip,
          detail: { reason: 'credentials' },
        });
        if (claim.waitSeconds === 0) throw new AppError('UNAUTHORIZED', WRONG_CREDENTIALS);
        await recordServerAudit(sql, {
          action: 'login.throttled',
          subject: attempted,
          ip,
          detail: { address, waitSeconds: claim.waitSeconds },
        });
        throw new RetryLaterError('UNAUTHORIZED', waitMessage(claim.waitSeconds), claim.waitSeconds);
      }
      if (checked.disabled) {
        await recordServerAudit(sql, {
          action: 'login.failed',
          subject: attempted,
          ip,
          detail: { reason: 'disabled' },
        });
        throw new AppError('UNAUTHORIZED', 'This account is disabled. Ask an admin to enable it.');
      }
      await backoff.succeeded(input.username, address);
      return checked;
    },
  };
}
