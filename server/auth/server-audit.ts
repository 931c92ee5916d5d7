import { randomUUID } from 'node:crypto';
import { AppError } from '../../shared/errors';
import {
  serverAuditQuery,
  type ServerAuditAction,
  type ServerAuditEntry,
  type ServerAuditPage,
  type ServerAuditQuery,
} from '../../shared/team';
import { parseOrThrow } from '../../shared/validation';
import type { SqlDb, ServerAuditRow } from '../store';
import { containsPattern } from './user-list';

export { SERVER_AUDIT_ACTIONS, type ServerAuditAction, type ServerAuditEntry } from '../../shared/team';

export interface ServerAuditInput {
  action: ServerAuditAction;
  actor?: { id: string; name: string } | null;
  subject?: { id: string | null; name: string } | null;
  ip?: string | null;
  detail?: Record<string, unknown>;
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

/** Where a page ends: the last entry's (at, id); the next page starts below it. */
function encodeCursor(row: { at: string; id: string }): string {
  return Buffer.from(JSON.stringify([row.at, row.id])).toString('base64url');
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && value.every((part) => typeof part === 'string')) {
      return value as [string, string];
    }
  } catch {
    // Falls through to the clear refusal below.
  }
  throw new AppError('VALIDATION', 'The cursor is not one this server handed out; start from the first page.', [
    { field: 'cursor', message: 'Not a cursor of this server.' },
  ]);
}

/**
 * The server audit (ADMIN-5), newest first, filtered by actor (part of the
 * user name, or the id), action and time, paged by keyset on (at, id) so
 * every entry is reached once however many there are.
 */
export async function listServerAudit(
  sql: SqlDb,
  input: ServerAuditQuery & { subjectId?: string | undefined },
): Promise<ServerAuditPage> {
  const query = parseOrThrow(serverAuditQuery, input, 'The server audit query');
  const where: string[] = [];
  const params: unknown[] = [];
  if (query.actor) {
    where.push("(actor_id = ? OR lower(actor_name) LIKE ? ESCAPE '\\')");
    params.push(query.actor, containsPattern(query.actor));
  }
  if (query.action) {
    where.push('action = ?');
    params.push(query.action);
  }
  if (query.from) {
    where.push('at >= ?');
    params.push(new Date(query.from).toISOString());
  }
  if (query.to) {
    where.push('at <= ?');
    params.push(new Date(query.to).toISOString());
  }
  if (input.subjectId) {
    where.push('(subject_id = ? OR actor_id = ?)');
    params.push(input.subjectId, input.subjectId);
  }
  const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const counted = await sql.get<{ n: number | string }>(`SELECT COUNT(*) AS n FROM server_audit ${filter}`, params);
  const page = [...where];
  const pageParams = [...params];
  if (query.cursor) {
    const [at, id] = decodeCursor(query.cursor);
    page.push('(at < ? OR (at = ? AND id < ?))');
    pageParams.push(at, at, id);
  }
  const rows = await sql.all<ServerAuditRow>(
    `SELECT * FROM server_audit ${page.length ? `WHERE ${page.join(' AND ')}` : ''}
     ORDER BY at DESC, id DESC LIMIT ?`,
    [...pageParams, query.limit + 1],
  );
  const entries = rows.slice(0, query.limit);
  const last = entries[entries.length - 1];
  return {
    entries: entries.map(toEntry),
    nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null,
    total: Number(counted?.n ?? 0),
  };
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
