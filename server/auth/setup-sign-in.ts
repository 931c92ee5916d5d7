import { AppError } from '../../shared/errors';
import { addressKey, clearLoginWaits, createLoginBackoff, RetryLaterError, type LoginBackoffSettings } from '../limits';
import type { Store, UserRow } from '../store';
import { checkPasswordPolicy, hashPassword, type PasswordHashing } from './passwords';
import { recordServerAudit } from './server-audit';
import { claimSetupCode, codeRefused, matchingSetupCode, setupCodeProblem } from './setup-codes';
import { findUserByUsername, revokeUserSessions } from './users';

const WRONG_CODE = 'Wrong user name or setup code.';

export interface SetupSignIn {
  /**
   * AUTH-9: checks the code, gives the account the chosen password and ends
   * its other sessions; the account to open a session for. The code stays
   * usable when the password is refused by the policy.
   */
  use(input: { username: string; code: string; password: string }, ip: string): Promise<UserRow>;
}

/** Setup codes are guessed like passwords: the same backoff per (user name, address) applies (AUTH-7). */
export function createSetupSignIn(
  store: Store,
  settings: { hashing: PasswordHashing; loginBackoff: LoginBackoffSettings },
): SetupSignIn {
  const sql = store.sql;
  const backoff = createLoginBackoff(sql, settings.loginBackoff);

  return {
    async use(input, ip) {
      const address = addressKey(ip);
      const claim = await backoff.claim(input.username, address);
      if (!claim.allowed) {
        const message = `${WRONG_CODE} Too many attempts: try again in ${claim.retryAfterSeconds} s.`;
        throw new RetryLaterError('RATE_LIMITED', message, claim.retryAfterSeconds);
      }
      const user = await findUserByUsername(store, input.username);
      const row = user && (await matchingSetupCode(store, user.id, input.code));
      if (!user || !row) {
        await recordServerAudit(sql, {
          action: 'login.failed',
          subject: { id: user?.id ?? null, name: input.username.slice(0, 100) },
          ip,
          detail: { reason: 'setup-code' },
        });
        if (claim.waitSeconds === 0) throw new AppError('UNAUTHORIZED', WRONG_CODE);
        const message = `${WRONG_CODE} Too many attempts: try again in ${claim.waitSeconds} s.`;
        throw new RetryLaterError('UNAUTHORIZED', message, claim.waitSeconds);
      }
      // The code matched: whoever sent it was given it, so the answers may say what is wrong.
      await backoff.succeeded(input.username, address);
      const problem = setupCodeProblem(row, new Date());
      if (problem) throw codeRefused(problem);
      if (user.disabled) throw new AppError('UNAUTHORIZED', 'This account is disabled. Ask an admin to enable it.');
      await checkPasswordPolicy(input.password, { username: user.username, name: user.name });
      const passwordHash = await hashPassword(input.password, settings.hashing);
      if (!(await claimSetupCode(store, row.hash))) {
        throw codeRefused(setupCodeProblem({ ...row, used_at: 'now' }, new Date())!);
      }
      const now = new Date().toISOString();
      await sql.run('UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?', [passwordHash, now, user.id]);
      await clearLoginWaits(sql, user.username);
      const self = { id: user.id, name: user.username };
      for (const action of ['user.setup-code-used', 'user.password-changed'] as const) {
        await recordServerAudit(sql, { action, actor: self, subject: self, ip, detail: { kind: row.kind } });
      }
      await revokeUserSessions(store, self, row.kind === 'reset' ? 'password-reset' : 'password-changed', self);
      return { ...user, password_hash: passwordHash, updated_at: now };
    },
  };
}
