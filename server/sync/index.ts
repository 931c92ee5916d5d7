export { push, pushRequestSchema, MAX_PUSH_ROWS, type PushOutcome, type RefusedRow } from './push';
export {
  isLastPage,
  pull,
  pullPages,
  pullRequestSchema,
  MAX_PULL_LIMIT,
  MAX_PULL_PAGES_PER_ANSWER,
  DEFAULT_PULL_PAGE_BYTES,
  type PullRequest,
  type PullResult,
} from './pull';
export { describePurge, purgeTrash, SERVER_ACTOR, type PurgeSummary } from './purge-trash';
export { createStreamHub, type StreamHub } from './stream-hub';
