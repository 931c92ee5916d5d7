import type { BulkWriteRow } from 'rxdb';
import type { DocData } from './stored-document';

/**
 * NOTE: replication reads changes by checkpoint `(lwt, id)`, so a write must
 * never land with a last-write time at or below one already stored: a reader
 * past that checkpoint would skip it. RxDB stamps `lwt` when the write is
 * called; a write that waited for a transaction (or a clock that went back)
 * would break that order, so such documents are restamped just above the
 * newest. RxDB's write result holds these same document objects, so it sees
 * the new stamp too.
 */
export function bumpStaleLwt(rows: BulkWriteRow<Record<string, unknown>>[], newest: number): void {
  const bumped = Math.round((newest + 0.01) * 100) / 100;
  for (const row of rows) {
    const doc = row.document as DocData;
    if (doc._meta.lwt > newest) continue;
    const meta = { ...doc._meta, lwt: bumped };
    if (Object.isFrozen(doc)) row.document = { ...doc, _meta: meta } as typeof row.document;
    else doc._meta = meta;
  }
}
