import { randomUUID } from 'node:crypto';
import type { SqlDb, ServerAuditRow } from '../store';

/** What the server's own audit records: sign-ins, user changes and revocations. */
export const SERVER_AUDIT_ACTIONS = [
  'login.succeeded',
  'login.failed',
  'login.throttled',
  'user.created',
  'user.updated',
  'user.password-changed',
  'user.disabled',
  'user.enabled',
  'user.removed',
  'session.revoked',
  'session.refresh-reuse',
  'logout',
  'trash.purged',
] as const;
export type ServerAuditAction = (typeof SERVER_AUDIT_ACTIONS)[number];

export interface ServerAuditInput {
  action: ServerAuditAction;
  actor?: { id: string; name: string } | null;
  subject?: { id: string | null; name: string } | null;
  ip?: string | null;
  detail?: Record<string, unknown>;
}

export interface ServerAuditEntry {
  id: string;
  at: string;
  action: string;
  actor: { id: string | null; name: string | null } | null;
  subject: { id: string | null; name: string | null } | null;
  ip: string | null;
  detail: Record<string, unknown>;
}

export async function recordServerAudit(sql: SqlDb, input: ServerAuditInput): Promise<void> {
  await sql.run(
    `INSERT INTO server_audit (id, at, action, actor_id, actor_name, subject_id, subject_name, ip, detail)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      randomUUID(),
      new Date().toISOString(),
      input.action,
      input.actor?.id ?? null,
      input.actor?.name ?? null,
      input.subject?.id ?? null,
      input.subject?.name ?? null,
      input.ip ?? null,
      JSON.stringify(input.detail ?? {}),
    ],
  );
}

/** Newest first; `before` (an ISO time) pages further back. */
export async function listServerAudit(
  sql: SqlDb,
  options: { limit: number; before?: string | undefined; subjectId?: string | undefined },
): Promise<ServerAuditEntry[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (options.before) {
    where.push('at < ?');
    params.push(options.before);
  }
  if (options.subjectId) {
    where.push('(subject_id = ? OR actor_id = ?)');
    params.push(options.subjectId, options.subjectId);
  }
  const rows = await sql.all<ServerAuditRow>(
    `SELECT * FROM server_audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY at DESC, id LIMIT ?`,
    [...params, options.limit],
  );
  return rows.map(toEntry);
}

function toEntry(row: ServerAuditRow): ServerAuditEntry {
  return {
    id: row.id,
    at: row.at,
    action: row.action,
    actor: row.actor_id || row.actor_name ? { id: row.actor_id, name: row.actor_name } : null,
    subject: row.subject_id || row.subject_name ? { id: row.subject_id, name: row.subject_name } : null,
    ip: row.ip,
    detail: JSON.parse(row.detail) as Record<string, unknown>,
  };
}
