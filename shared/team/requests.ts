import { z } from 'zod';
import { ROLES } from '../protocol';
import { SERVER_AUDIT_ACTIONS } from './audit-actions';

/**
 * What the team endpoints take (protocol ADMIN-*, ACCOUNT-*, AUTH-9): the
 * server parses requests with these and the core's routers take them as
 * inputs, so both refuse the same things with the same words. Query-string
 * numbers are coerced, so one schema serves the URL and the call.
 */

export const USER_SORTS = ['username', 'name', 'role', 'lastSignIn', 'createdAt'] as const;
export type UserSort = (typeof USER_SORTS)[number];

export const MAX_SETUP_CODE_DAYS = 90;
const expiresInDays = z
  .number({ error: 'expiresInDays must be a number of days.' })
  .int()
  .min(1, { error: 'A setup code lasts at least 1 day.' })
  .max(MAX_SETUP_CODE_DAYS, { error: `A setup code lasts at most ${MAX_SETUP_CODE_DAYS} days.` });
const flag = z.union([z.boolean(), z.enum(['0', '1', 'true', 'false']).transform((v) => v === '1' || v === 'true')]);
const text = (max: number) => z.string().trim().max(max);

export const userListQuery = z.object({
  search: text(200).optional(),
  sort: z.enum(USER_SORTS, { error: `sort must be one of ${USER_SORTS.join(', ')}.` }).default('username'),
  order: z.enum(['asc', 'desc'], { error: 'order must be asc or desc.' }).default('asc'),
  offset: z.coerce.number<number>().int().min(0).default(0),
  limit: z.coerce.number<number>().int().min(1).max(500, { error: 'At most 500 users per page.' }).default(100),
});
export type UserListQuery = z.input<typeof userListQuery>;

const role = z.enum(ROLES, { error: `The role must be one of ${ROLES.join(', ')}.` });

/** A new user: with a password typed by the admin, or (no password) an invitation with a setup code. */
export const newUserRequest = z
  .object({
    username: z.string({ error: 'The user name must be text.' }).max(64),
    name: z.string({ error: 'The display name must be text.' }).max(200),
    role,
    password: z.string({ error: 'The password must be text.' }).max(1024).optional(),
    expiresInDays: expiresInDays.optional(),
  })
  .strict();

export const userChangeRequest = z
  .object({
    name: text(200).min(1, { error: 'The display name is required.' }).optional(),
    role: role.optional(),
    disabled: z.boolean({ error: 'disabled must be true or false.' }).optional(),
    password: z.string({ error: 'The password must be text.' }).max(1024).optional(),
    /** Only say what the change would do. */
    dryRun: z.boolean().optional(),
  })
  .strict();

export const setupCodeRequest = z
  .object({ expiresInDays: expiresInDays.optional(), dryRun: z.boolean().optional() })
  .strict();

export const erasureQuery = z.object({
  /** The user name, typed by the admin (not needed for a dry run). */
  confirm: z.string().max(64).optional(),
  dryRun: flag.optional(),
});

export const sessionsQuery = z.object({ all: flag.optional(), userId: z.string().max(200).optional() });

const isoTime = (what: string) => z.iso.datetime({ error: `${what} must be an ISO timestamp.` });
export const serverAuditFilter = z.object({
  /** Part of the actor's user name, or their id. */
  actor: text(200).optional(),
  action: z.enum(SERVER_AUDIT_ACTIONS, { error: 'action must be one of the server audit actions.' }).optional(),
  /** Inclusive ISO timestamps. */
  from: isoTime('from').optional(),
  to: isoTime('to').optional(),
});
export const serverAuditQuery = serverAuditFilter.extend({
  cursor: z.string().max(500).nullish(),
  limit: z.coerce.number<number>().int().min(1).max(1000).default(100),
});
export type ServerAuditQuery = z.input<typeof serverAuditQuery>;

/** AUTH-9: the first sign-in with a setup code, choosing the password. */
export const setupSignInRequest = z
  .object({
    username: z.string({ error: 'username must be text.' }).min(1).max(200),
    code: z.string({ error: 'code must be text.' }).min(1, { error: 'The setup code is required.' }).max(200),
    password: z.string({ error: 'password must be text.' }).max(1024),
    device: z.string().max(100).optional(),
  })
  .strict();

export const passwordChangeRequest = z
  .object({
    currentPassword: z.string().min(1, { error: 'Type your current password.' }).max(1024),
    newPassword: z.string().max(1024),
  })
  .strict();
