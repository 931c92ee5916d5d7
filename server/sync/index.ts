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
export {
  describePurgeDone,
  describePurgePlan,
  planPurge,
  purgeTrash,
  SERVER_ACTOR,
  type PurgePlan,
  type PurgeSummary,
} from './purge-trash';
export { createStreamHub, type StreamHub } from './stream-hub';
