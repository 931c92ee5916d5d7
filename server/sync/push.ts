import { z } from 'zod';
import type { ReplicatedCollection } from '../../shared/protocol';
import { parseOrThrow } from '../../shared/validation';
import type { AuthUser } from '../auth';
import type { DocumentWrite, Store } from '../store';
import { checkDocumentSize } from './document-size';
import { checkAgainstStored, checkRow, type Refusal } from './rules';

export const MAX_PUSH_ROWS = 1000;

const documentShape = z.looseObject({ id: z.string().min(1).max(200), rev: z.string().min(1).max(64) });

/** The request body of a push (protocol PUSH-1). Row contents are checked row by row afterwards. */
export const pushRequestSchema = z
  .object({
    rows: z
      .array(
        z.object({
          assumedMasterState: documentShape.nullable(),
          newDocumentState: documentShape,
        }),
      )
      .max(MAX_PUSH_ROWS, { error: `A push carries at most ${MAX_PUSH_ROWS} rows; split the batch.` }),
  })
  .strict();

export interface RefusedRow extends Refusal {
  id: string;
  document: unknown;
}

/** The answer to a push: stored documents of conflicting rows (raw JSON) and refused rows. */
export interface PushOutcome {
  conflicts: string[];
  refused: RefusedRow[];
  written: number;
}

type Row = z.infer<typeof pushRequestSchema>['rows'][number];

/**
 * Applies a push (PUSH-2 … PUSH-6): stateless checks first, then, under the
 * collection's writer lock, retry detection, append-only and status rules,
 * and conflict detection on `rev`. Rows are taken in order, so a later row
 * for the same id sees an earlier one's write.
 */
export async function push(store: Store, collection: ReplicatedCollection, body: unknown, user: AuthUser) {
  const { rows } = parseOrThrow(pushRequestSchema, body, 'The push request');
  const refused: RefusedRow[] = [];
  const accepted: Row[] = [];
  for (const row of rows) {
    const problem = checkRow(collection, row.newDocumentState, user);
    if (problem) refused.push({ id: row.newDocumentState.id, ...problem, document: row.newDocumentState });
    else accepted.push(row);
  }
  const ids = accepted.map((row) => row.newDocumentState.id);
  const outcome = await store.commit(collection, ids, (current) => {
    const writes: DocumentWrite[] = [];
    const conflicts: string[] = [];
    const late: RefusedRow[] = [];
    for (const row of accepted) {
      const next = row.newDocumentState;
      const storedJson = current.get(next.id);
      const stored = storedJson === undefined ? undefined : (JSON.parse(storedJson) as Record<string, unknown>);
      if (stored && stored.rev === next.rev) continue; // PUSH-4: a retry of what is stored.
      if (stored) {
        const problem = checkAgainstStored(collection, stored, next, user);
        if (problem) {
          late.push({ id: next.id, ...problem, document: next });
          continue;
        }
        if (!row.assumedMasterState || row.assumedMasterState.rev !== stored.rev) {
          conflicts.push(storedJson!);
          continue;
        }
      }
      const json = JSON.stringify(next);
      const tooLarge = checkDocumentSize(collection, json);
      if (tooLarge) {
        late.push({ id: next.id, ...tooLarge, document: next });
        continue;
      }
      writes.push({ id: next.id, json, deleted: next._deleted === true });
      current.set(next.id, json);
    }
    return { writes, result: { conflicts, late } };
  });
  return {
    conflicts: outcome.result.conflicts,
    refused: [...refused, ...outcome.result.late],
    written: outcome.written.length,
  } satisfies PushOutcome;
}
