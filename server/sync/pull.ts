import { z } from 'zod';
import type { ReplicatedCollection } from '../../shared/protocol';
import { parseOrThrow } from '../../shared/validation';
import type { Store } from '../store';

export const MAX_PULL_LIMIT = 1000;
/** Default byte cap of one pull page (PULL-6): well above the largest document, far below what a response can hold. */
export const DEFAULT_PULL_PAGE_BYTES = 8 * 1024 * 1024;

/** The request body of a pull (protocol PULL-1). */
export const pullRequestSchema = z
  .object({
    checkpoint: z.object({ sequence: z.number().int().min(0) }).nullable(),
    limit: z.number().int().min(1, { error: 'limit must be at least 1.' }),
  })
  .strict();

/**
 * Documents after the checkpoint (raw JSON), the checkpoint to resume from
 * (PULL-2, PULL-3), and whether the byte cap ended the page before `limit`
 * with more documents waiting (PULL-6).
 */
export interface PullResult {
  documents: string[];
  checkpoint: { sequence: number };
  hasMore: boolean;
}

export async function pull(
  store: Store,
  collection: ReplicatedCollection,
  body: unknown,
  options: { maxPageBytes: number },
): Promise<PullResult> {
  const request = parseOrThrow(pullRequestSchema, body, 'The pull request');
  const after = request.checkpoint?.sequence ?? 0;
  // NOTE: a limit above the maximum is lowered, not refused: the client just pulls again.
  const page = await store.pullPage(collection, after, Math.min(request.limit, MAX_PULL_LIMIT), options.maxPageBytes);
  const last = page.rows[page.rows.length - 1];
  return {
    documents: page.rows.map((row) => row.json),
    checkpoint: { sequence: last ? last.sequence : after },
    hasMore: page.cut,
  };
}
