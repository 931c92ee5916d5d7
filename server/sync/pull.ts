import { z } from 'zod';
import type { ReplicatedCollection } from '../../shared/protocol';
import { parseOrThrow } from '../../shared/validation';
import type { Store } from '../store';

export const MAX_PULL_LIMIT = 1000;

/** The request body of a pull (protocol PULL-1). */
export const pullRequestSchema = z
  .object({
    checkpoint: z.object({ sequence: z.number().int().min(0) }).nullable(),
    limit: z.number().int().min(1, { error: 'limit must be at least 1.' }),
  })
  .strict();

/** Documents after the checkpoint (raw JSON) and the checkpoint to resume from (PULL-2, PULL-3). */
export interface PullResult {
  documents: string[];
  checkpoint: { sequence: number };
}

export async function pull(store: Store, collection: ReplicatedCollection, body: unknown): Promise<PullResult> {
  const request = parseOrThrow(pullRequestSchema, body, 'The pull request');
  const after = request.checkpoint?.sequence ?? 0;
  // NOTE: a limit above the maximum is lowered, not refused: the client just pulls again.
  const rows = await store.pull(collection, after, Math.min(request.limit, MAX_PULL_LIMIT));
  const last = rows[rows.length - 1];
  return { documents: rows.map((row) => row.json), checkpoint: { sequence: last ? last.sequence : after } };
}
