import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import { ROLES } from '../../shared/protocol';
import type { Consequence, TeamUser } from '../../shared/team';
import { parseOrThrow } from '../../shared/validation';
import { clearLoginWaits } from '../limits';
import type { Store, UserRow } from '../store';
import { recordAccountName } from './account-names';
import { checkPasswordPolicy, hashPassword, type PasswordHashing } from './passwords';
import { recordServerAudit } from './server-audit';
import { consequenceOf } from './session-admin';
import { NO_PASSWORD } from './setup-codes';
import { describeRow, describeUser } from './user-list';

/** A user as admins see it (ADMIN-1): never the password hash. One shape: shared/team. */
export type PublicUser = TeamUser;

export interface Actor {
  id: string;
  name: string;
}

/** Who acts from the command line. */
export const CLI_ACTOR: Actor = { id: 'cli', name: 'Server command line' };

const usernameSchema = z
  .string({ error: 'The user name must be text.' })
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._@-]{1,63}$/, {
    error: 'The user name must be 2 to 64 characters: letters, digits, dot, dash, underscore or @.',
  });

export const newUserSchema = z
  .object({
    username: usernameSchema,
    name: z
      .string({ error: 'The display name must be text.' })
      .trim()
      .min(1, { error: 'The display name is required.' })
      .max(200),
    /** Absent: the user is invited and chooses a password with a setup code (ADMIN-6). */
    password: z.string({ error: 'The password must be text.' }).optional(),
    role: z.enum(ROLES, { error: `The role must be one of ${ROLES.join(', ')}.` }),
  })
  .strict();
export type NewUser = z.input<typeof newUserSchema>;

export const userChangeSchema = z
  .object({
    name: z.string().trim().min(1, { error: 'The display name is required.' }).max(200).optional(),
    role: z.enum(ROLES, { error: `The role must be one of ${ROLES.join(', ')}.` }).optional(),
    disabled: z.boolean({ error: 'disabled must be true or false.' }).optional(),
    password: z.string({ error: 'The password must be text.' }).optional(),
    /** Check the change and say what it would do, without writing it. */
    dryRun: z.boolean().optional(),
  })
  .strict();
export type UserChange = z.input<typeof userChangeSchema>;

export async function findUserByUsername(store: Store, username: string): Promise<UserRow | undefined> {
  return store.sql.get<UserRow>('SELECT * FROM users WHERE username = ?', [username.trim().toLowerCase()]);
}

export async function getUser(store: Store, id: string): Promise<UserRow> {
  const row = await store.sql.get<UserRow>('SELECT * FROM users WHERE id = ?', [id]);
  if (!row) throw new AppError('NOT_FOUND', 'No user has this id; it may have been removed.');
  return row;
}

export async function countUsers(store: Store): Promise<number> {
  const row = await store.sql.get<{ n: number | string }>('SELECT COUNT(*) AS n FROM users');
  return Number(row?.n ?? 0);
}

/** Creates a user after checking the name and the password policy. Used by the admin API, the CLI and tests. */
export async function createUser(
  store: Store,
  input: NewUser,
  hashing: PasswordHashing,
  actor: Actor = CLI_ACTOR,
): Promise<PublicUser> {
  const user = parseOrThrow(newUserSchema, input, 'The new user');
  if (user.password !== undefined) {
    await checkPasswordPolicy(user.password, { username: user.username, name: user.name });
  }
  if (await findUserByUsername(store, user.username)) {
    throw new AppError('CONFLICT', `A user named "${user.username}" already exists; choose another user name.`);
  }
  const now = new Date().toISOString();
  const row: UserRow = {
    id: randomUUID(),
    username: user.username,
    name: user.name,
    role: user.role,
    password_hash: user.password === undefined ? NO_PASSWORD : await hashPassword(user.password, hashing),
    disabled: 0,
    created_at: now,
    updated_at: now,
  };
  try {
    await store.sql.run(
      `INSERT INTO users (id, username, name, role, password_hash, disabled, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [row.id, row.username, row.name, row.role, row.password_hash, 0, now, now],
    );
  } catch {
    throw new AppError('CONFLICT', `A user named "${user.username}" already exists; choose another user name.`);
  }
  await recordAccountName(store.sql, row.id, row.name);
  await recordServerAudit(store.sql, {
    action: 'user.created',
    actor,
    subject: { id: row.id, name: row.username },
    detail: { role: row.role, invited: user.password === undefined },
  });
  return (await describeUser(store, row.id))!;
}

/**
 * Changes a user's name, role, password or disabled flag. Disabling or
 * setting a password ends the user's sessions, which the consequence counts;
 * a new password also lifts a lock and withdraws an open setup code. A dry
 * run checks everything (last admin, password policy) and writes nothing.
 */
export async function updateUser(
  store: Store,
  id: string,
  input: UserChange,
  hashing: PasswordHashing,
  actor: Actor = CLI_ACTOR,
): Promise<{ user: PublicUser; consequence: Consequence }> {
  const change = parseOrThrow(userChangeSchema, input, 'The user change');
  const row = await getUser(store, id);
  const now = new Date().toISOString();
  const next: UserRow = { ...row, updated_at: now };
  if (change.name !== undefined) next.name = change.name;
  if (change.role !== undefined) next.role = change.role;
  if (change.disabled !== undefined) next.disabled = change.disabled ? 1 : 0;
  if (row.role === 'admin' && !row.disabled && (next.role !== 'admin' || next.disabled)) await keepAnAdmin(store, id);
  if (change.password !== undefined) {
    await checkPasswordPolicy(change.password, { username: row.username, name: next.name });
  }
  const endsSessions = change.password !== undefined || (next.disabled === 1 && row.disabled === 0);
  const consequence = await consequenceOf(store, id, endsSessions ? 'now' : 'none');
  if (change.dryRun) return { user: await describeRow(store, next), consequence };
  if (change.password !== undefined) next.password_hash = await hashPassword(change.password, hashing);
  await store.sql.run(
    `UPDATE users SET name = ?, role = ?, disabled = ?, password_hash = ?, updated_at = ? WHERE id = ?`,
    [next.name, next.role, next.disabled, next.password_hash, now, id],
  );
  // A new password lifts every sign-in wait on the account (AUTH-7).
  if (change.password !== undefined) {
    await clearLoginWaits(store.sql, row.username);
    await store.sql.run(
      'UPDATE setup_codes SET revoked_at = ? WHERE user_id = ? AND used_at IS NULL AND revoked_at IS NULL',
      [now, id],
    );
  }
  if (next.name !== row.name) {
    // Work typed offline under the old name still carries it (ACTOR-4).
    await recordAccountName(store.sql, id, row.name);
    await recordAccountName(store.sql, id, next.name);
  }
  const subject = { id, name: row.username };
  if (change.name !== undefined || change.role !== undefined) {
    await recordServerAudit(store.sql, {
      action: 'user.updated',
      actor,
      subject,
      detail: { from: { name: row.name, role: row.role }, to: { name: next.name, role: next.role } },
    });
  }
  if (change.password !== undefined) {
    await recordServerAudit(store.sql, { action: 'user.password-changed', actor, subject });
    await revokeUserSessions(store, subject, 'password-changed', actor);
  }
  if (change.disabled !== undefined && next.disabled !== row.disabled) {
    await recordServerAudit(store.sql, { action: next.disabled ? 'user.disabled' : 'user.enabled', actor, subject });
    if (next.disabled) await revokeUserSessions(store, subject, 'user-disabled', actor);
  }
  return { user: (await describeUser(store, id))!, consequence };
}

/** Ends every live session of a user. */
export async function revokeUserSessions(
  store: Store,
  user: { id: string; name: string },
  reason: string,
  actor: Actor,
): Promise<number> {
  const now = new Date().toISOString();
  const { changes } = await store.sql.run(
    'UPDATE sessions SET revoked_at = ?, revoked_reason = ? WHERE user_id = ? AND revoked_at IS NULL',
    [now, reason, user.id],
  );
  if (changes > 0) {
    await recordServerAudit(store.sql, {
      action: 'session.revoked',
      actor,
      subject: user,
      detail: { reason, sessions: changes },
    });
  }
  return changes;
}

/** Refuses a change that would leave no enabled admin (nobody could manage users any more). */
export async function keepAnAdmin(store: Store, leavingId: string): Promise<void> {
  const row = await store.sql.get<{ n: number | string }>(
    "SELECT COUNT(*) AS n FROM users WHERE role = 'admin' AND disabled = 0 AND id <> ?",
    [leavingId],
  );
  if (Number(row?.n ?? 0) === 0) {
    throw new AppError('CONFLICT', 'This is the last enabled admin; make another user admin first.');
  }
}
