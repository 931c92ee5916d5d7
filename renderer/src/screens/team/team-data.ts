import { z } from 'zod';
import { ROLES } from '../../../../shared/protocol';

/**
 * The team router passes the server's admin answers through as `unknown` (they are
 * the server's JSON, protocol ADMIN-*), so the screen checks their shape once here,
 * at the boundary, and shows a clear message if a server answers something else.
 */
export const usersAnswer = z.object({
  users: z.array(
    z.object({
      id: z.string(),
      username: z.string(),
      name: z.string(),
      role: z.enum(ROLES),
      disabled: z.boolean(),
      lockedUntil: z.string().nullable(),
    }),
  ),
});

export const sessionsAnswer = z.object({
  sessions: z.array(
    z.object({
      id: z.string(),
      username: z.string().nullable(),
      device: z.string(),
      ip: z.string(),
      lastUsedAt: z.string(),
      expiresAt: z.string(),
    }),
  ),
});

const who = z.object({ id: z.string().nullable(), name: z.string().nullable() }).nullable();
export const serverAuditAnswer = z.object({
  entries: z.array(
    z.object({
      id: z.string(),
      at: z.string(),
      action: z.string(),
      actor: who,
      subject: who,
      ip: z.string().nullable(),
    }),
  ),
});

export function parseAnswer<T>(schema: z.ZodType<T>, answer: unknown): T {
  const parsed = schema.safeParse(answer);
  if (!parsed.success)
    throw new Error(
      'The sync server answered in a form this app does not understand; is it a Curio server of the same version?',
    );
  return parsed.data;
}
