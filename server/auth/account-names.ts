import type { SqlDb } from '../store';

/**
 * What binds actor objects `{ id, name }` in pushed documents to accounts
 * (protocol ACTOR-4, ACTOR-5): every display name an account has had, and
 * the ids of erased accounts. Both live in their own tables so the checks
 * survive server-audit retention.
 */

/** Remembers a display name of an account (on creation and on each rename). */
export async function recordAccountName(sql: SqlDb, userId: string, name: string): Promise<void> {
  await sql.run('INSERT INTO user_names (user_id, name) VALUES (?, ?) ON CONFLICT (user_id, name) DO NOTHING', [
    userId,
    name,
  ]);
}

/** Every display name the account has had, the current one included. */
export async function accountNames(sql: SqlDb, userId: string): Promise<Set<string>> {
  const rows = await sql.all<{ name: string }>('SELECT name FROM user_names WHERE user_id = ?', [userId]);
  return new Set(rows.map((row) => row.name));
}

/**
 * Marks an account as erased and forgets its names. Done before the stored
 * documents are rewritten, so a push racing the erasure cannot bring the
 * real name back.
 */
export async function markErased(sql: SqlDb, userId: string): Promise<void> {
  await sql.run('INSERT INTO erased_users (id, erased_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING', [
    userId,
    new Date().toISOString(),
  ]);
  await sql.run('DELETE FROM user_names WHERE user_id = ?', [userId]);
}

/** The erased accounts among `ids`. */
export async function erasedAmong(sql: SqlDb, ids: Iterable<string>): Promise<Set<string>> {
  const unique = [...new Set(ids)];
  const erased = new Set<string>();
  for (let start = 0; start < unique.length; start += 500) {
    const chunk = unique.slice(start, start + 500);
    const rows = await sql.all<{ id: string }>(
      `SELECT id FROM erased_users WHERE id IN (${chunk.map(() => '?').join(', ')})`,
      chunk,
    );
    for (const row of rows) erased.add(row.id);
  }
  return erased;
}
