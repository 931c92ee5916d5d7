export { push, pushRequestSchema, MAX_PUSH_ROWS, type PushOutcome, type RefusedRow } from './push';
export { pull, pullRequestSchema, MAX_PULL_LIMIT, DEFAULT_PULL_PAGE_BYTES, type PullResult } from './pull';
export { describePurge, purgeTrash, SERVER_ACTOR, type PurgeSummary } from './purge-trash';
export { createStreamHub, type StreamHub } from './stream-hub';
