import { createHash, randomUUID } from 'node:crypto';
import { AppError } from '../../shared/errors';
import { REPLICATED_COLLECTIONS, type ReplicatedCollection } from '../../shared/protocol';
import type { Consequence } from '../../shared/team';
import { clearLoginWaits } from '../limits';
import type { Store } from '../store';
import { markErased } from './account-names';
import { listServerAudit, recordServerAudit, type ServerAuditEntry } from './server-audit';
import { consequenceOf, listSessions, type SessionView } from './session-admin';
import { describeUser } from './user-list';
import { getUser, keepAnAdmin, type Actor, type PublicUser } from './users';

const PAGE = 1000;

/** Everything the server holds about what one user did, for a data-subject request. */
export interface UserExport {
  exportedAt: string;
  user: PublicUser;
  sessions: SessionView[];
  serverAudit: ServerAuditEntry[];
  /** Replicated documents (entities, audit entries, conflict records) that name the user as an actor. */
  documents: Partial<Record<ReplicatedCollection, unknown[]>>;
}

/** The stable stand-in that replaces a removed user's name. */
export function pseudonymFor(userId: string): string {
  return `Removed user ${createHash('sha256').update(userId).digest('hex').slice(0, 8)}`;
}

export async function exportUser(store: Store, userId: string): Promise<UserExport> {
  const user = (await describeUser(store, (await getUser(store, userId)).id))!;
  const documents: UserExport['documents'] = {};
  for (const collection of REPLICATED_COLLECTIONS) {
    const matches: unknown[] = [];
    await scan(store, collection, (json) => {
      if (json.includes(userId) && mentionsActor(JSON.parse(json), userId)) matches.push(JSON.parse(json));
    });
    if (matches.length > 0) documents[collection] = matches;
  }
  return {
    exportedAt: new Date().toISOString(),
    user,
    sessions: await listSessions(store, { all: true, userId }),
    serverAudit: await auditAbout(store, userId),
    documents,
  };
}

/**
 * GDPR-style erasure: the user's sessions end and the account is deleted;
 * every actor `{ id, name }` naming them in replicated documents gets the
 * pseudonym as its name (and a new `rev`, so clients pull the change), and
 * the server audit keeps its rows with the pseudonym. History stays intact.
 * From then on a push naming the user under any other name is refused (ACTOR-5).
 */
export async function removeUser(
  store: Store,
  userId: string,
  actor: Actor,
  options: { confirm?: string | undefined; dryRun?: boolean | undefined },
): Promise<{ removed: boolean; pseudonym: string; consequence: Consequence }> {
  const user = await getUser(store, userId);
  if (user.role === 'admin' && !user.disabled) await keepAnAdmin(store, userId);
  const pseudonym = pseudonymFor(userId);
  const consequence = await consequenceOf(store, userId, 'now');
  if (options.dryRun) return { removed: false, pseudonym, consequence };
  // Permanent: the admin types the user name, and the server checks it too (not only the screen).
  if (options.confirm?.trim().toLowerCase() !== user.username) {
    throw new AppError(
      'CONFIRMATION_REQUIRED',
      `Erasing "${user.username}" cannot be undone: type the user name "${user.username}" to confirm.`,
      [{ field: 'confirm', message: `Type "${user.username}".` }],
    );
  }
  await store.sql.run('DELETE FROM setup_codes WHERE user_id = ?', [userId]);
  await store.sql.run('DELETE FROM last_sign_ins WHERE user_id = ?', [userId]);
  await store.sql.run('DELETE FROM refresh_tokens WHERE session_id IN (SELECT id FROM sessions WHERE user_id = ?)', [
    userId,
  ]);
  await store.sql.run('DELETE FROM sessions WHERE user_id = ?', [userId]);
  await store.sql.run('DELETE FROM users WHERE id = ?', [userId]);
  await clearLoginWaits(store.sql, user.username);
  await markErased(store.sql, userId);

  for (const collection of REPLICATED_COLLECTIONS) {
    const ids: string[] = [];
    await scan(store, collection, (json, id) => {
      if (json.includes(userId) && mentionsActor(JSON.parse(json), userId, pseudonym)) ids.push(id);
    });
    if (ids.length === 0) continue;
    await store.commit(collection, ids, (current) => {
      const writes = [];
      for (const [id, json] of current) {
        const doc = JSON.parse(json) as Record<string, unknown>;
        if (!replaceActorName(doc, userId, pseudonym)) continue;
        doc.rev = randomUUID();
        writes.push({ id, json: JSON.stringify(doc), deleted: doc._deleted === true });
      }
      return { writes, result: null };
    });
  }

  await store.sql.run('UPDATE server_audit SET actor_name = ? WHERE actor_id = ?', [pseudonym, userId]);
  await store.sql.run('UPDATE server_audit SET subject_name = ? WHERE subject_id = ?', [pseudonym, userId]);
  await recordServerAudit(store.sql, {
    action: 'user.removed',
    actor,
    subject: { id: userId, name: pseudonym },
    detail: { role: user.role },
  });
  return { removed: true, pseudonym, consequence };
}

/** Every server audit entry the user did or was the subject of, newest first. */
async function auditAbout(store: Store, userId: string): Promise<ServerAuditEntry[]> {
  const entries: ServerAuditEntry[] = [];
  let cursor: string | null = null;
  do {
    const page = await listServerAudit(store.sql, { limit: PAGE, cursor, subjectId: userId });
    entries.push(...page.entries);
    cursor = page.nextCursor;
  } while (cursor);
  return entries;
}

async function scan(
  store: Store,
  collection: ReplicatedCollection,
  visit: (json: string, id: string) => void,
): Promise<void> {
  let after = 0;
  for (;;) {
    const rows = await store.pull(collection, after, PAGE);
    for (const row of rows) visit(row.json, row.id);
    if (rows.length < PAGE) return;
    after = rows[rows.length - 1]!.sequence;
  }
}

function isActor(value: unknown, userId: string): value is { id: string; name: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  return keys.length === 2 && record.id === userId && typeof record.name === 'string';
}

function mentionsActor(value: unknown, userId: string, exceptName?: string): boolean {
  if (isActor(value, userId)) return value.name !== exceptName;
  if (typeof value !== 'object' || value === null) return false;
  return Object.values(value).some((child) => mentionsActor(child, userId, exceptName));
}

/** Rewrites, in place, the name of every actor object naming `userId`; true when something changed. */
function replaceActorName(value: unknown, userId: string, pseudonym: string): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (isActor(value, userId)) {
    if (value.name === pseudonym) return false;
    value.name = pseudonym;
    return true;
  }
  let changed = false;
  for (const child of Object.values(value)) changed = replaceActorName(child, userId, pseudonym) || changed;
  return changed;
}
