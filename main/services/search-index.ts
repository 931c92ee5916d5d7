import type { Subscription } from 'rxjs';
import { ENTITY_TYPES, entities, titleOf, type EntityType } from '../../shared/entities/registry';
import type { DocumentData } from '../database';
import type { ServiceContext } from './context';

export interface SearchInput {
  query: string;
  /** Limit to these types (pickers search one type); all types by default. */
  types?: EntityType[];
  includeTrash?: boolean;
  limit?: number;
}

export type SearchRank = 'exact' | 'prefix' | 'contains';

export interface SearchHit {
  type: EntityType;
  id: string;
  title: string;
  /** The title or alias that matched. */
  matched: string;
  rank: SearchRank;
  inTrash: boolean;
}

interface Entry {
  type: EntityType;
  id: string;
  title: string;
  terms: string[];
  folded: string[];
  inTrash: boolean;
}

export interface SearchIndex {
  search(input: SearchInput): Promise<SearchHit[]>;
  close(): void;
}

const BUILD_BATCH = 2000;
const RANKS: SearchRank[] = ['exact', 'prefix', 'contains'];

/**
 * An in-memory index of the searchable fields (title and aliases) of every
 * entry, built on first search and kept current from the collections' change
 * streams, so replicated changes are found too.
 * NOTE: "contains" needs every title; scanning ~100 bytes per entry in memory
 * beats parsing every stored document per keystroke by two orders of magnitude.
 */
export function createSearchIndex(ctx: ServiceContext): SearchIndex {
  const entries = new Map<string, Entry>();
  const touched = new Set<string>();
  let building: Promise<void> | undefined;

  const subscriptions: Subscription[] = ENTITY_TYPES.map((type) =>
    ctx.database.entities[type].$.subscribe((event) => {
      touched.add(event.documentId);
      if (event.operation === 'DELETE') entries.delete(event.documentId);
      else entries.set(event.documentId, toEntry(type, event.documentData as DocumentData));
    }),
  );

  async function build(): Promise<void> {
    for (const type of ENTITY_TYPES) {
      let lastId = '';
      for (;;) {
        const batch = await ctx.database.entities[type]
          .find({ selector: { id: { $gt: lastId } }, sort: [{ id: 'asc' }], limit: BUILD_BATCH })
          .exec();
        for (const document of batch) {
          // A change event that arrived while building is newer than this read.
          if (!touched.has(document.primary))
            entries.set(document.primary, toEntry(type, document.toJSON() as DocumentData));
        }
        if (batch.length < BUILD_BATCH) break;
        lastId = batch[batch.length - 1]!.primary;
      }
    }
    touched.clear();
  }

  return {
    async search(input) {
      building ??= build();
      await building;
      const needle = input.query.trim().toLowerCase();
      if (needle === '') return [];
      const types = input.types && input.types.length > 0 ? new Set(input.types) : undefined;
      const hits: RankedHit[] = [];
      for (const entry of entries.values()) {
        if (types && !types.has(entry.type)) continue;
        if (entry.inTrash && !input.includeTrash) continue;
        let best = -1;
        let matched = '';
        for (let i = 0; i < entry.folded.length; i++) {
          const term = entry.folded[i]!;
          const rank = term === needle ? 0 : term.startsWith(needle) ? 1 : term.includes(needle) ? 2 : -1;
          if (rank >= 0 && (best < 0 || rank < best)) {
            best = rank;
            matched = entry.terms[i]!;
          }
        }
        if (best < 0) continue;
        const { type, id, title, inTrash } = entry;
        hits.push({ type, id, title, matched, rank: RANKS[best]!, inTrash, order: best });
      }
      return topHits(hits, Math.min(input.limit ?? 20, 200)).map(({ order: _order, ...hit }) => hit);
    },
    close() {
      for (const subscription of subscriptions) subscription.unsubscribe();
    },
  };
}

type RankedHit = SearchHit & { order: number };

/** Exact, then prefix, then contains; shorter titles first within a rank. */
function before(a: RankedHit, b: RankedHit): boolean {
  if (a.order !== b.order) return a.order < b.order;
  if (a.title.length !== b.title.length) return a.title.length < b.title.length;
  return a.title < b.title;
}

/**
 * The best `limit` hits in order. NOTE: a one-letter query matches most of the
 * catalog; keeping a short sorted list beats sorting every hit.
 */
function topHits(hits: RankedHit[], limit: number): RankedHit[] {
  const top: RankedHit[] = [];
  for (const hit of hits) {
    if (top.length === limit && !before(hit, top[limit - 1]!)) continue;
    let at = top.length;
    while (at > 0 && before(hit, top[at - 1]!)) at--;
    top.splice(at, 0, hit);
    if (top.length > limit) top.pop();
  }
  return top;
}

function toEntry(type: EntityType, document: DocumentData): Entry {
  const terms: string[] = [];
  for (const field of entities[type].searchFields as string[]) {
    const value = document[field];
    if (typeof value === 'string' && value !== '') terms.push(value);
    if (Array.isArray(value)) for (const item of value) if (typeof item === 'string') terms.push(item);
  }
  return {
    type,
    id: document.id as string,
    title: titleOf(type, document),
    terms,
    folded: terms.map((term) => term.toLowerCase()),
    inTrash: document.deletedAt !== null && document.deletedAt !== undefined,
  };
}
