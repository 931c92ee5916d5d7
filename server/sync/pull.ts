import { z } from 'zod';
import { SCHEMA_VERSIONS, type ReplicatedCollection, type SchemaVersions } from '../../shared/protocol';
import { AppError } from '../../shared/errors';
import { parseOrThrow } from '../../shared/validation';
import { tombstoneHorizon } from '../retention';
import type { PulledPage, Store } from '../store';
import { documentsForClient } from './client-schemas';

export const MAX_PULL_LIMIT = 1000;
/**
 * Most pages one streamed pull answer carries (PULL-9): 100,000 documents at the largest limit, so a
 * catch-up of 100,000 takes one request per collection, and an answer to a collection written without
 * pause ends. Over a slow link the client writes the first pages while later ones are still on their way;
 * with answers of 20 pages the server had sent an answer's last page long before the client asked for the
 * next answer, and the link stood idle in between (docs/decisions.md, "Longer streamed answers keep a slow
 * link busy").
 */
export const MAX_PULL_PAGES_PER_ANSWER = 100;
/** Default byte cap of one pull page (PULL-6): well above the largest document, far below what a response can hold. */
export const DEFAULT_PULL_PAGE_BYTES = 8 * 1024 * 1024;

/** The request body of a pull (protocol PULL-1). */
export const pullRequestSchema = z
  .object({
    checkpoint: z.object({ sequence: z.number().int().min(0) }).nullable(),
    limit: z.number().int().min(1, { error: 'limit must be at least 1.' }),
  })
  .strict();
export type PullRequest = z.infer<typeof pullRequestSchema>;

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

/** Whether a page is the last one there is now: short of its limit and not cut by bytes (PULL-3, PULL-6). */
export function isLastPage(page: PullResult, limit: number): boolean {
  return !page.hasMore && page.documents.length < Math.min(limit, MAX_PULL_LIMIT);
}

/**
 * The pages a streamed pull answer carries (PULL-9): each is the answer `pull` gives to a request from the
 * previous page's checkpoint, read only when the one before it was taken, so every guarantee of a single
 * pull holds page by page. Ends after the last page there is (`isLastPage`) or MAX_PULL_PAGES_PER_ANSWER.
 */
export async function* pullPages(
  store: Store,
  collection: ReplicatedCollection,
  body: unknown,
  options: { maxPageBytes: number; client?: SchemaVersions },
): AsyncGenerator<PullResult> {
  const { limit } = parseOrThrow(pullRequestSchema, body, 'The pull request');
  let page = await pull(store, collection, body, options);
  yield page;
  for (let pages = 1; pages < MAX_PULL_PAGES_PER_ANSWER && !isLastPage(page, limit); pages++) {
    page = await pull(store, collection, { checkpoint: page.checkpoint, limit }, options);
    yield page;
  }
}

export async function pull(
  store: Store,
  collection: ReplicatedCollection,
  body: unknown,
  options: { maxPageBytes: number; client?: SchemaVersions },
): Promise<PullResult> {
  const request = parseOrThrow(pullRequestSchema, body, 'The pull request');
  const after = request.checkpoint?.sequence ?? 0;
  // NOTE: a limit above the maximum is lowered, not refused: the client just pulls again.
  const limit = Math.min(request.limit, MAX_PULL_LIMIT);
  const client = options.client ?? SCHEMA_VERSIONS;
  let page: PulledPage;
  let documents: string[];
  let from = after;
  // A page whose documents this client cannot read at all (SCHEMA-3) would read as "caught up": read on.
  for (;;) {
    page = await store.pullPage(collection, from, limit, options.maxPageBytes);
    documents = documentsForClient(
      client,
      collection,
      page.rows.map((row) => row.json),
    );
    const full = page.cut || page.rows.length >= limit;
    if (documents.length > 0 || !full) break;
    from = page.rows[page.rows.length - 1]!.sequence;
  }
  // After the rows: a compaction that ran meanwhile has moved the horizon already (RETAIN-3).
  const horizon = await tombstoneHorizon(store.sql, collection);
  if (after > 0 && after < horizon) {
    throw new AppError(
      'RESYNC_REQUIRED',
      `Permanent deletes this device has not seen were compacted on the server since it last synced ${collection}; read the collection again from the start (checkpoint null).`,
    );
  }
  const last = page.rows[page.rows.length - 1];
  const sequence = last ? last.sequence : from;
  // At the end, nothing lies between the last document and the horizon: the checkpoint moves up to it,
  // so a device that has read everything is never refused by PULL-7 for the gap compaction left.
  const atEnd = !page.cut && page.rows.length < limit;
  return {
    documents,
    checkpoint: { sequence: atEnd ? Math.max(sequence, horizon) : sequence },
    // Left-out documents shortened a full page: the client must not take it for the end (CLIENT-12).
    hasMore: page.cut || (documents.length < page.rows.length && page.rows.length >= limit),
  };
}
