import type { EntityType } from '../../shared/entities/registry';
import type { ServiceContext } from './context';
import { withNamesakeFacts } from './namesakes';
import { openSearchStore, type SearchStore, type StoredHit } from './search-store';
import { FIELD_BOOST, SEARCH_FIELDS, foldTerm, matchRanges, snippet, tokenize, type MatchRange } from './search-text';

export type { MatchRange } from './search-text';

export interface SearchInput {
  query: string;
  /** Limit to these types (pickers search one type); all types by default. */
  types?: EntityType[];
  includeTrash?: boolean;
  limit?: number;
}

/** How the query met the entry at best: a whole word, the start of one, or one typo away. */
export type SearchRank = 'exact' | 'prefix' | 'fuzzy';

export interface SearchHit {
  type: EntityType;
  id: string;
  title: string;
  /** The text that matched best: the title, one alias, or a window of a longer field. */
  matched: string;
  /** The field `matched` comes from (`title`, `name`, `aliases`, `description`, …). */
  field: string;
  /** The matched words within `matched`, as `[start, end)` offsets, to highlight. */
  ranges: MatchRange[];
  rank: SearchRank;
  /** Relevance, higher first (BM25 with field weights: titles above aliases above other text). */
  score: number;
  inTrash: boolean;
  /**
   * Only on a hit whose title another hit of its type in the same answer shares (two "Rex" a sync
   * kept): the fields a list tells them apart by (`namesakeFactFields`), read by `withNamesakeFacts`.
   */
  facts?: Record<string, unknown>;
}

export interface SearchIndex {
  search(input: SearchInput): Promise<SearchHit[]>;
  /**
   * The live entries of `type` whose title holds one of `titles` word for word (case and accents folded),
   * in one query for all of them: candidates for namesakes, which the caller compares in full. A title
   * without a word finds none.
   */
  titleHolders(type: EntityType, titles: string[]): Promise<{ id: string; title: string }[]>;
  close(): void;
}

const MAX_LIMIT = 200;
/** One typo is tolerated in words of this length or more ("skogafos" finds "Skogafoss"). */
const FUZZY_MIN_LENGTH = 5;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
/** Titles and aliases: a match there is searched, and ranked, before one in longer text. */
const PRIMARY_FIELDS = SEARCH_FIELDS.filter((field) => FIELD_BOOST[field]! > 1);

/**
 * Full-text search over every text field of every type: ranked, every word
 * also as a prefix (as you type), one typo in longer words, case and accents
 * folded. The index lives in the profile's database (see search-store.ts), so
 * it follows every write, pulled ones included, and is ready at open.
 */
export function createSearchIndex(ctx: ServiceContext): SearchIndex {
  let opening: Promise<SearchStore> | undefined;
  const store = () => {
    opening ??= openSearchStore(ctx).catch((error: unknown) => {
      opening = undefined;
      throw error;
    });
    return opening;
  };
  // Opened right away: only a first open (or a changed field list) builds anything.
  void store().catch(() => undefined);

  // Indexed words one typo away, by query word: as the user types, the earlier words come back at every key.
  const nearby = new Map<string, string[]>();
  let nearbyVersion = -1;
  const nearbyTerms = (index: SearchStore, word: string): string[] => {
    const version = index.version();
    if (version !== nearbyVersion || nearby.size > 1000) nearby.clear();
    nearbyVersion = version;
    let terms = nearby.get(word);
    if (!terms) nearby.set(word, (terms = index.knownTerms(oneEditAway(word))));
    return terms;
  };

  return {
    async search(input) {
      const words = tokenize(input.query).map(foldTerm);
      if (words.length === 0) return [];
      const index = await store();
      await index.catchUp();
      const options = {
        types: input.types,
        includeTrash: !!input.includeTrash,
        limit: Math.min(Math.max(input.limit ?? 20, 1), MAX_LIMIT),
      };
      const typos = new Set<string>();
      const exact = words.map(phrase).join(' AND ');
      // Only the last word is still being typed; earlier ones are whole words (or typos of them).
      const last = words.length - 1;
      const asTyped = (word: string, i: number) => (i === last ? `${phrase(word)}*` : phrase(word));
      const prefixes = words.map(asTyped).join(' AND ');
      let withTypos: string | undefined;
      /** Typos are looked up only when whole words and prefixes leave the page short (a vocabulary read per word). */
      const typoMatch = () =>
        (withTypos ??= words
          .map((word, i) => {
            const nearby = word.length >= FUZZY_MIN_LENGTH ? nearbyTerms(index, word) : [];
            for (const term of nearby) typos.add(term);
            return `(${[asTyped(word, i), ...nearby.map(phrase)].join(' OR ')})`;
          })
          .join(' AND '));
      // Best kinds of match first, each by relevance: whole words ("bo" finds Bo before Bob), then
      // prefixes, then typos; within each, titles and aliases before other text.
      const tiers = [exact, prefixes, typoMatch].flatMap((match) => [
        { match, columns: PRIMARY_FIELDS },
        { match, columns: undefined },
      ]);
      const found: StoredHit[] = [];
      const seen = new Set<string>();
      for (const { match, columns } of tiers) {
        if (found.length >= options.limit) break;
        const expression = typeof match === 'string' ? match : match();
        for (const row of index.query(expression, { ...options, columns, limit: options.limit + found.length })) {
          if (seen.has(row.id)) continue;
          seen.add(row.id);
          found.push(row);
        }
      }
      return withNamesakeFacts(
        ctx,
        found.slice(0, options.limit).map((row) => toHit(row, words, typos)),
      );
    },
    async titleHolders(type, titles) {
      const phrases = titles.filter((title) => tokenize(title).length > 0).map((title) => phrase(foldTerm(title)));
      if (phrases.length === 0) return [];
      const index = await store();
      await index.catchUp();
      return index.titleHolders(type, [...new Set(phrases)]);
    },
    close() {
      void opening?.then((index) => index.close()).catch(() => undefined);
    },
  };
}

/** An FTS5 string literal: a word as one token, whatever characters it holds; several words, a phrase. */
function phrase(word: string): string {
  return `"${word.replace(/"/g, '""')}"`;
}

/** Every string one deletion, transposition, substitution or insertion away from `word`. */
function oneEditAway(word: string): string[] {
  const letters = new Set([...ALPHABET, ...word]);
  const edits = new Set<string>();
  for (let i = 0; i <= word.length; i++) {
    const [head, tail] = [word.slice(0, i), word.slice(i)];
    if (tail) edits.add(head + tail.slice(1));
    if (tail.length > 1) edits.add(head + tail[1] + tail[0] + tail.slice(2));
    for (const letter of letters) {
      if (tail) edits.add(head + letter + tail.slice(1));
      edits.add(head + letter + tail);
    }
  }
  edits.delete(word);
  return [...edits];
}

/** The best-weighted field that matched, its matched words as ranges, and how closely the query met it. */
function toHit(row: StoredHit, words: string[], typos: Set<string>): SearchHit {
  const typed = words[words.length - 1]!;
  const matches = (folded: string) => typos.has(folded) || words.includes(folded) || folded.startsWith(typed);
  const matchedTerms = new Set<string>();
  let best: { field: string; line: string; ranges: MatchRange[] } | undefined;
  for (const field of [...SEARCH_FIELDS].sort((a, b) => FIELD_BOOST[b]! - FIELD_BOOST[a]!)) {
    const value = row.fields[field];
    if (typeof value !== 'string') continue;
    // An alias hit shows the one alias that matched, not the whole list.
    for (const line of value.split('\n')) {
      const terms = new Set(tokenize(line).map(foldTerm).filter(matches));
      for (const term of terms) matchedTerms.add(term);
      if (!best && terms.size > 0) best = { field, line, ranges: matchRanges(line, terms) };
    }
  }
  const shown = best ? snippet(best.line, best.ranges) : { text: row.title, ranges: [] };
  const rank: SearchRank = words.some((word) => matchedTerms.has(word))
    ? 'exact'
    : [...matchedTerms].some((term) => term.startsWith(typed))
      ? 'prefix'
      : 'fuzzy';
  return {
    type: row.type,
    id: row.id,
    title: row.title,
    matched: shown.text,
    field: best?.field ?? SEARCH_FIELDS[0]!,
    ranges: shown.ranges,
    rank,
    score: row.score,
    inTrash: row.inTrash,
  };
}
