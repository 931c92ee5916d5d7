import { ENTITY_TYPES, entities } from '../../shared/entities/registry';

/**
 * What the search engine indexes, derived from the entity descriptors: every
 * type's `searchFields`, one engine field per field name across types.
 */
export const SEARCH_FIELDS: string[] = [...new Set(ENTITY_TYPES.flatMap((type) => entities[type].searchFields))];

const TITLE_FIELDS = new Set<string>(ENTITY_TYPES.map((type) => entities[type].titleField));

/** Title fields weigh most, aliases next, descriptive text least: a title match ranks above a description match. */
export const FIELD_BOOST: Record<string, number> = Object.fromEntries(
  SEARCH_FIELDS.map((field) => [field, TITLE_FIELDS.has(field) ? 4 : field === 'aliases' ? 3 : 1]),
);

/** A word: a run of characters that are neither space nor punctuation (MiniSearch's default split). */
const WORD = /[^\n\r\p{Z}\p{P}]+/gu;

export function tokenize(text: string): string[] {
  return text.match(WORD) ?? [];
}

/**
 * Letters that do not decompose into a base letter and a mark, so neither the index's tokenizer
 * (`remove_diacritics`) nor NFD folds them, written as people type them without: "Tromsø" as "tromso",
 * "Æsir" as "aesir", "Straße" as "strasse", "Łódź" as "lodz". Both cases: the index replaces them in
 * the text it indexes, before its tokenizer lowers the case (search-store.ts).
 */
export const FOLDED_LETTERS: Readonly<Record<string, string>> = {
  æ: 'ae',
  Æ: 'ae',
  œ: 'oe',
  Œ: 'oe',
  ø: 'o',
  Ø: 'o',
  ß: 'ss',
  ẞ: 'ss',
  ſ: 's',
  ð: 'd',
  Ð: 'd',
  đ: 'd',
  Đ: 'd',
  þ: 'th',
  Þ: 'th',
  ł: 'l',
  Ł: 'l',
  ŀ: 'l',
  Ŀ: 'l',
  ı: 'i',
  ĳ: 'ij',
  Ĳ: 'ij',
  ħ: 'h',
  Ħ: 'h',
  ŧ: 't',
  Ŧ: 't',
};

const FOLDED_LETTER = new RegExp(`[${Object.keys(FOLDED_LETTERS).join('')}]`, 'gu');

/** Case, accents and the letters above folded, so "Skógafoss" and "skogafoss", "Tromsø" and "tromso" are one term. */
export function foldTerm(term: string): string {
  return term
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(FOLDED_LETTER, (letter) => FOLDED_LETTERS[letter]!);
}

/** `[start, end)` character offsets in a shown text. */
export type MatchRange = [number, number];

/** Where the words of `text` whose folded form is one of `terms` are. */
export function matchRanges(text: string, terms: ReadonlySet<string>): MatchRange[] {
  const ranges: MatchRange[] = [];
  for (const word of text.matchAll(WORD)) {
    if (terms.has(foldTerm(word[0]))) ranges.push([word.index, word.index + word[0].length]);
  }
  return ranges;
}

const SNIPPET_LENGTH = 160;
const SNIPPET_LEAD = 40;

/**
 * A long text cut to a window around its first match, ranges shifted to it,
 * so a hit in a long description shows the matched words.
 */
export function snippet(text: string, ranges: MatchRange[]): { text: string; ranges: MatchRange[] } {
  if (text.length <= SNIPPET_LENGTH) return { text, ranges };
  const first = ranges[0]?.[0] ?? 0;
  const start = Math.max(0, first - SNIPPET_LEAD);
  const end = Math.min(text.length, start + SNIPPET_LENGTH);
  const lead = start > 0 ? '…' : '';
  const shift = lead.length - start;
  return {
    text: `${lead}${text.slice(start, end)}${end < text.length ? '…' : ''}`,
    ranges: ranges
      .filter(([from, to]) => from >= start && to <= end)
      .map(([from, to]): MatchRange => [from + shift, to + shift]),
  };
}
