import { REPLICATED_COLLECTIONS, type ReplicatedCollection } from '../../shared/protocol';
import type { SqlDb } from '../store';

/**
 * RETAIN-3: permanent-delete tombstones older than `days` are removed. A
 * tombstone's age is the server's own clock: each run marks every
 * collection's current sequence with the time, and tombstones at or below
 * the newest mark that is at least `days` old are compacted. The highest
 * sequence compacted becomes the collection's horizon (PULL-7).
 *
 * NOTE: the horizon moves before the rows go, so a pull that reads the rows
 * and then the horizon can never miss a compacted delete without being told.
 */
export async function compactTombstones(sql: SqlDb, days: number, now: Date): Promise<number> {
  const at = now.toISOString();
  const cutoff = new Date(now.getTime() - days * 86_400_000).toISOString();
  let removed = 0;
  for (const collection of REPLICATED_COLLECTIONS) {
    const counter = await sql.get<{ value: number }>('SELECT value FROM counters WHERE collection = ?', [collection]);
    await sql.run('INSERT INTO sequence_marks (collection, at, seq) VALUES (?, ?, ?) ON CONFLICT DO NOTHING', [
      collection,
      at,
      counter?.value ?? 0,
    ]);
    const mark = await sql.get<{ at: string; seq: number }>(
      'SELECT at, seq FROM sequence_marks WHERE collection = ? AND at <= ? ORDER BY at DESC LIMIT 1',
      [collection, cutoff],
    );
    if (!mark) continue;
    // Older marks are no longer needed: the newest old-enough one covers them.
    await sql.run('DELETE FROM sequence_marks WHERE collection = ? AND at < ?', [collection, mark.at]);
    const highest = await sql.get<{ seq: number | null }>(
      'SELECT MAX(seq) AS seq FROM documents WHERE collection = ? AND deleted = 1 AND seq <= ?',
      [collection, mark.seq],
    );
    if (highest?.seq == null) continue;
    await raiseHorizon(sql, collection, Number(highest.seq));
    const result = await sql.run('DELETE FROM documents WHERE collection = ? AND deleted = 1 AND seq <= ?', [
      collection,
      highest.seq,
    ]);
    removed += result.changes;
  }
  return removed;
}

async function raiseHorizon(sql: SqlDb, collection: ReplicatedCollection, seq: number): Promise<void> {
  await sql.run(
    `INSERT INTO tombstone_horizons (collection, seq) VALUES (?, ?)
     ON CONFLICT (collection) DO UPDATE SET seq = CASE WHEN excluded.seq > tombstone_horizons.seq THEN excluded.seq ELSE tombstone_horizons.seq END`,
    [collection, seq],
  );
}

/** The highest compacted tombstone sequence of a collection (0: none was ever compacted). */
export async function tombstoneHorizon(sql: SqlDb, collection: ReplicatedCollection): Promise<number> {
  const row = await sql.get<{ seq: number }>('SELECT seq FROM tombstone_horizons WHERE collection = ?', [collection]);
  return row ? Number(row.seq) : 0;
}
