import type { TeamUser, UserListQuery, UserPage, UserSort } from '../../shared/team';
import { userListQuery } from '../../shared/team';
import { parseOrThrow } from '../../shared/validation';
import { heldUntil } from '../limits';
import type { Store, UserRow } from '../store';
import { NO_PASSWORD, openSetupCodes } from './setup-codes';

/** A user row with its latest sign-in and live session count, as the list query reads it. */
type ListedRow = UserRow & {
  last_at: string | null;
  last_device: string | null;
  last_ip: string | null;
  live: number | string;
};

/** Sort keys as SQL; `lastSignIn` puts users who never signed in last either way. */
const ORDER: Record<UserSort, string> = {
  username: 'u.username',
  name: 'lower(u.name)',
  role: 'u.role',
  createdAt: 'u.created_at',
  lastSignIn: 'l.at',
};

const SELECT = `SELECT u.*, l.at AS last_at, l.device AS last_device, l.ip AS last_ip,
  (SELECT COUNT(*) FROM sessions s WHERE s.user_id = u.id AND s.revoked_at IS NULL AND s.expires_at > ?) AS live
  FROM users u LEFT JOIN last_sign_ins l ON l.user_id = u.id`;

/** LIKE pattern for "contains" (ESCAPE '\\'), case-folded, the search's pattern characters taken literally. */
export function containsPattern(search: string): string {
  return `%${search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * One page of users (ADMIN-1): searched by user name or display name,
 * sorted, with their latest sign-in, live sessions, open setup code and
 * sign-in wait. Paged in the database, so 1,000 users cost one page.
 */
export async function listUsers(store: Store, input: UserListQuery = {}): Promise<UserPage> {
  const query = parseOrThrow(userListQuery, input, 'The user list query');
  const where: string[] = [];
  const params: unknown[] = [];
  if (query.search) {
    where.push("(lower(u.username) LIKE ? ESCAPE '\\' OR lower(u.name) LIKE ? ESCAPE '\\')");
    params.push(containsPattern(query.search), containsPattern(query.search));
  }
  const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const direction = query.order === 'desc' ? 'DESC' : 'ASC';
  const nullsLast = query.sort === 'lastSignIn' ? '(l.at IS NULL), ' : '';
  const rows = await store.sql.all<ListedRow>(
    `${SELECT} ${filter} ORDER BY ${nullsLast}${ORDER[query.sort]} ${direction}, u.username LIMIT ? OFFSET ?`,
    [new Date().toISOString(), ...params, query.limit, query.offset],
  );
  const counted = await store.sql.get<{ n: number | string }>(`SELECT COUNT(*) AS n FROM users u ${filter}`, params);
  return { users: await describe(store, rows), total: Number(counted?.n ?? 0) };
}

/** One user as the admin screens show it (the answer to a change). */
export async function describeUser(store: Store, id: string): Promise<TeamUser | undefined> {
  const rows = await store.sql.all<ListedRow>(`${SELECT} WHERE u.id = ?`, [new Date().toISOString(), id]);
  return (await describe(store, rows))[0];
}

/** As `describeUser`, for a row not (or no longer) stored as it is: a dry run's would-be user. */
export async function describeRow(store: Store, row: UserRow): Promise<TeamUser> {
  const stored = await describeUser(store, row.id);
  return { ...stored!, name: row.name, role: row.role, disabled: row.disabled === 1 };
}

async function describe(store: Store, rows: ListedRow[]): Promise<TeamUser[]> {
  const now = Date.now();
  const held = await heldUntil(store.sql, now);
  const codes = await openSetupCodes(store);
  return rows.map((row) => {
    const code = codes.get(row.id);
    return {
      id: row.id,
      username: row.username,
      name: row.name,
      role: row.role,
      disabled: row.disabled === 1,
      lockedUntil: held.get(row.username) ?? null,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      invited: row.password_hash === NO_PASSWORD,
      setupCode: code
        ? {
            kind: code.kind,
            createdAt: code.created_at,
            expiresAt: code.expires_at,
            expired: Date.parse(code.expires_at) <= now,
          }
        : null,
      lastSignIn: row.last_at ? { at: row.last_at, device: row.last_device ?? '', ip: row.last_ip ?? '' } : null,
      liveSessions: Number(row.live),
    };
  });
}
