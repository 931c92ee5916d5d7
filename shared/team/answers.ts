import { z } from 'zod';
import { REPLICATED_COLLECTIONS, ROLES } from '../protocol';

/**
 * What the server's team endpoints answer (protocol ADMIN-*, ACCOUNT-*), one
 * source for the server (its answers are typed by these), the core (it parses
 * each answer here, at the boundary, so the `team` and `account` routers have
 * real output types) and the renderer (which then needs no check of its own).
 */

export const SETUP_CODE_KINDS = ['invitation', 'reset'] as const;
export type SetupCodeKind = (typeof SETUP_CODE_KINDS)[number];

const iso = z.string();

export const teamUserSchema = z.object({
  id: z.string(),
  username: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  disabled: z.boolean(),
  /** Until when sign-ins to this account wait after failures from at least one address (AUTH-7); else null. */
  lockedUntil: iso.nullable(),
  createdAt: iso,
  updatedAt: iso,
  /** Never chose a password: the invitation is still open (or expired). */
  invited: z.boolean(),
  /** The open (unused, not withdrawn) setup code, expired or not. */
  setupCode: z
    .object({ kind: z.enum(SETUP_CODE_KINDS), createdAt: iso, expiresAt: iso, expired: z.boolean() })
    .nullable(),
  lastSignIn: z.object({ at: iso, device: z.string(), ip: z.string() }).nullable(),
  liveSessions: z.number().int(),
});
export type TeamUser = z.infer<typeof teamUserSchema>;

export const userPageSchema = z.object({ users: z.array(teamUserSchema), total: z.number().int() });
export type UserPage = z.infer<typeof userPageSchema>;

/** What a change does to the user's sessions: "Eddie will be signed out on 2 devices". */
export const consequenceSchema = z.object({
  sessionsEnded: z.number().int(),
  /** Device names of the sessions that end, one per session. */
  devices: z.array(z.string()),
  /** `code-used`: a reset code ends them once the user uses it. */
  when: z.enum(['now', 'code-used', 'none']),
});
export type Consequence = z.infer<typeof consequenceSchema>;

/** A setup code as the server hands it out, once (it keeps only a hash). */
export const issuedCodeSchema = z.object({
  kind: z.enum(SETUP_CODE_KINDS),
  username: z.string(),
  code: z.string(),
  expiresAt: iso,
});
export type IssuedCode = z.infer<typeof issuedCodeSchema>;

export const createdUserSchema = z.object({ user: teamUserSchema, setupCode: issuedCodeSchema.nullable() });
export const changedUserSchema = z.object({ user: teamUserSchema, consequence: consequenceSchema });
export const issuedSetupCodeSchema = z.object({
  kind: z.enum(SETUP_CODE_KINDS),
  setupCode: issuedCodeSchema.nullable(),
  consequence: consequenceSchema,
});
export const revokedCodeSchema = z.object({ revoked: z.boolean() });
export const erasedUserSchema = z.object({
  removed: z.boolean(),
  pseudonym: z.string(),
  consequence: consequenceSchema,
});

export const teamSessionSchema = z.object({
  id: z.string(),
  userId: z.string(),
  username: z.string().nullable(),
  device: z.string(),
  ip: z.string(),
  createdAt: iso,
  lastUsedAt: iso,
  expiresAt: iso,
  revokedAt: iso.nullable(),
  revokedReason: z.string().nullable(),
});
export type TeamSession = z.infer<typeof teamSessionSchema>;
export const teamSessionsSchema = z.object({ sessions: z.array(teamSessionSchema) });

/** One of the signed-in user's own sessions; `current` is the one asking ("this device"). */
export const ownSessionSchema = z.object({
  id: z.string(),
  device: z.string(),
  ip: z.string(),
  createdAt: iso,
  lastUsedAt: iso,
  expiresAt: iso,
  current: z.boolean(),
});
export type OwnSession = z.infer<typeof ownSessionSchema>;
export const ownSessionsSchema = z.object({ sessions: z.array(ownSessionSchema) });
export const ownSessionRevokedSchema = z.object({ revoked: z.literal(true), current: z.boolean() });
export const sessionsEndedSchema = z.object({ sessionsEnded: z.number().int() });

const who = z.object({ id: z.string().nullable(), name: z.string().nullable() }).nullable();
export const serverAuditEntrySchema = z.object({
  id: z.string(),
  at: iso,
  action: z.string(),
  actor: who,
  subject: who,
  ip: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
});
export type ServerAuditEntry = z.infer<typeof serverAuditEntrySchema>;
export const serverAuditPageSchema = z.object({
  entries: z.array(serverAuditEntrySchema),
  nextCursor: z.string().nullable(),
  /** Entries matching the filters, all pages. */
  total: z.number().int(),
});
export type ServerAuditPage = z.infer<typeof serverAuditPageSchema>;

const lastRun = z.object({ at: iso, by: z.string().nullable() }).nullable();
export const serverInfoSchema = z.object({
  version: z.string(),
  protocol: z.number().int(),
  startedAt: iso,
  storage: z.object({ kind: z.enum(['sqlite', 'postgres']), sizeBytes: z.number().nullable() }),
  users: z.number().int(),
  liveSessions: z.number().int(),
  /** Live (not permanently deleted) documents per replicated collection. */
  documents: z.record(z.enum(REPLICATED_COLLECTIONS), z.number().int()),
  lastPurge: lastRun,
  lastBackup: lastRun,
});
export type ServerInfo = z.infer<typeof serverInfoSchema>;
