import type { SqlDb } from '../../../server/store';
import { dogDoc } from '../../server/documents';

const actor = { id: 'someone', name: 'Someone' };

/** A v0 dog or person as a v0 server stored it, for `count` ids. */
export function v0Documents(count: number): { collection: 'dog' | 'person'; id: string; json: string }[] {
  return Array.from({ length: count }, (_, index) => {
    const collection = index % 2 === 0 ? ('dog' as const) : ('person' as const);
    const fields =
      collection === 'dog' ? { name: `Dog ${index}`, color: 'grey' } : { name: `Person ${index}`, bio: `Bio ${index}` };
    // dogDoc's envelope and shared fields (aliases, photo) fit a v0 person as well.
    const document = dogDoc(actor, fields);
    return { collection, id: String(document.id), json: JSON.stringify(document) };
  });
}

/** Writes documents as a v0 server left them (schema_version 0), each with its own sequence. */
export async function storeAsV0(sql: SqlDb, documents: ReturnType<typeof v0Documents>): Promise<void> {
  let sequence = 0;
  for (const { collection, id, json } of documents) {
    sequence += 1;
    await sql.run(
      'INSERT INTO documents (collection, id, seq, deleted, doc, schema_version) VALUES (?, ?, ?, 0, ?, 0)',
      [collection, id, sequence, json],
    );
  }
  for (const collection of ['dog', 'person']) {
    await sql.run('UPDATE counters SET value = ? WHERE collection = ?', [sequence, collection]);
  }
}

/** Every stored dog and person with its version and document. */
export async function storedRows(sql: SqlDb) {
  const rows = await sql.all<{ collection: string; id: string; seq: number; doc: string; schema_version: number }>(
    "SELECT collection, id, seq, doc, schema_version FROM documents WHERE collection IN ('dog', 'person') ORDER BY id",
  );
  return rows.map((row) => ({ ...row, doc: JSON.parse(row.doc) as Record<string, unknown>, seq: Number(row.seq) }));
}
