/**
 * How long a search query may be: one source of truth for the API, which
 * refuses a longer one, and the search boxes, which say so before asking.
 * NOTE: every word is searched whole, as a prefix and one typo away, and the
 * typo variants of a word grow with its length (a 200-character word costs
 * about half a second), so the limit bounds the work per keystroke. A longer
 * query is refused in words, never cut short silently (docs/decisions.md).
 */
export const MAX_SEARCH_QUERY_LENGTH = 200;

/** Why a query cannot be searched as typed, with the limit; null when it can. */
export function searchQueryProblem(query: string): string | null {
  if (query.length <= MAX_SEARCH_QUERY_LENGTH) return null;
  return `This search is ${query.length.toLocaleString('en')} characters long; a search can be at most ${MAX_SEARCH_QUERY_LENGTH} characters. Shorten it to a few words.`;
}
