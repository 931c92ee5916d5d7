import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../shared/errors';
import {
  normalizeSetupCode,
  SETUP_CODE_ALPHABET,
  SETUP_CODE_LENGTH,
  type Consequence,
  type IssuedCode,
  type SetupCodeKind,
} from '../../shared/team';
import type { SetupCodeRow, Store, UserRow } from '../store';
import { recordServerAudit } from './server-audit';
import { consequenceOf } from './session-admin';
import { getUser, type Actor } from './users';

/** An account that never chose a password has this instead of a hash; no password verifies against it. */
export const NO_PASSWORD = '';

export function hashSetupCode(code: string): string {
  return createHash('sha256').update(normalizeSetupCode(code)).digest('hex');
}

function newSetupCode(): string {
  // 15 bytes = 120 bits = 24 characters of 5 bits each.
  const bytes = randomBytes(15);
  let bits = 0;
  let value = 0;
  let code = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      code += SETUP_CODE_ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return code.slice(0, SETUP_CODE_LENGTH);
}

/** An invitation until the account has a password of its own; a reset after that. */
export function setupCodeKind(user: UserRow): SetupCodeKind {
  return user.password_hash === NO_PASSWORD ? 'invitation' : 'reset';
}

/** Withdraws every open code of a user; how many there were. */
async function withdrawCodes(store: Store, userId: string, now: string): Promise<number> {
  const { changes } = await store.sql.run(
    'UPDATE setup_codes SET revoked_at = ? WHERE user_id = ? AND used_at IS NULL AND revoked_at IS NULL',
    [now, userId],
  );
  return changes;
}

/**
 * Issues a setup code (ADMIN-6), replacing any open one. A reset code ends
 * the user's sessions once used, which the consequence says; a dry run only
 * says so.
 */
export async function issueSetupCode(
  store: Store,
  userId: string,
  options: { days: number; dryRun?: boolean | undefined },
  actor: Actor,
): Promise<{ kind: SetupCodeKind; setupCode: IssuedCode | null; consequence: Consequence }> {
  const user = await getUser(store, userId);
  const kind = setupCodeKind(user);
  const consequence = await consequenceOf(store, userId, kind === 'reset' ? 'code-used' : 'none');
  if (options.dryRun) return { kind, setupCode: null, consequence };
  const code = newSetupCode();
  const now = new Date();
  const expiresAt = new Date(now.getTime() + options.days * 86_400_000).toISOString();
  await withdrawCodes(store, userId, now.toISOString());
  await store.sql.run(
    `INSERT INTO setup_codes (hash, user_id, kind, created_at, expires_at, used_at, revoked_at)
     VALUES (?, ?, ?, ?, ?, NULL, NULL)`,
    [hashSetupCode(code), userId, kind, now.toISOString(), expiresAt],
  );
  await recordServerAudit(store.sql, {
    action: 'user.setup-code-issued',
    actor,
    subject: { id: userId, name: user.username },
    detail: { kind, expiresAt },
  });
  return { kind, setupCode: { kind, username: user.username, code, expiresAt }, consequence };
}

/** Withdraws the user's open setup code (ADMIN-6); false when there was none. */
export async function revokeSetupCode(store: Store, userId: string, actor: Actor): Promise<{ revoked: boolean }> {
  const user = await getUser(store, userId);
  const revoked = (await withdrawCodes(store, userId, new Date().toISOString())) > 0;
  if (revoked) {
    await recordServerAudit(store.sql, {
      action: 'user.setup-code-revoked',
      actor,
      subject: { id: userId, name: user.username },
    });
  }
  return { revoked };
}

/** The open (unused, not withdrawn) code of each user, expired or not. */
export async function openSetupCodes(store: Store): Promise<Map<string, SetupCodeRow>> {
  const rows = await store.sql.all<SetupCodeRow>(
    'SELECT * FROM setup_codes WHERE used_at IS NULL AND revoked_at IS NULL ORDER BY created_at',
  );
  return new Map(rows.map((row) => [row.user_id, row]));
}

/**
 * The user's code row matching `code`, compared in constant time against
 * every code the user was ever given; undefined when none matches.
 */
export async function matchingSetupCode(store: Store, userId: string, code: string): Promise<SetupCodeRow | undefined> {
  const presented = Buffer.from(hashSetupCode(code), 'hex');
  const rows = await store.sql.all<SetupCodeRow>('SELECT * FROM setup_codes WHERE user_id = ?', [userId]);
  let found: SetupCodeRow | undefined;
  for (const row of rows) {
    if (timingSafeEqual(Buffer.from(row.hash, 'hex'), presented)) found = row;
  }
  return found;
}

/** Why a code that matched cannot be used (used, withdrawn, expired); null when it can. */
export function setupCodeProblem(row: SetupCodeRow, now: Date): string | null {
  if (row.used_at) {
    return 'This setup code was already used. Sign in with your password, or ask an admin for a new code.';
  }
  if (row.revoked_at) return 'This setup code was withdrawn by an admin. Ask an admin for a new one.';
  if (row.expires_at <= now.toISOString()) {
    return `This setup code expired on ${row.expires_at.slice(0, 10)}. Ask an admin for a new one.`;
  }
  return null;
}

/** Marks the code used; false when another request used or withdrew it first (single use). */
export async function claimSetupCode(store: Store, hash: string): Promise<boolean> {
  const { changes } = await store.sql.run(
    'UPDATE setup_codes SET used_at = ? WHERE hash = ? AND used_at IS NULL AND revoked_at IS NULL',
    [new Date().toISOString(), hash],
  );
  return changes === 1;
}

export function codeRefused(message: string): AppError {
  return new AppError('VALIDATION', message, [{ field: 'code', message }]);
}
