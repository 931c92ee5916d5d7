import type { Subscription } from 'rxjs';
import { ENTITY_TYPES, entities, titleOf, type EntityType } from '../../shared/entities/registry';
import type { DocumentData } from '../database';
import type { ServiceContext } from './context';
import { scanEntities } from './scan';

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
  /** Every folded term in one string, so most entries are ruled out with one `includes`. */
  all: string;
  inTrash: boolean;
}

export interface SearchIndex {
  search(input: SearchInput): Promise<SearchHit[]>;
  close(): void;
}

const RANKS: SearchRank[] = ['exact', 'prefix', 'contains'];
const WARM_UP_DELAY_MS = 2000;

/**
 * An in-memory index of the searchable fields (title and aliases) of every
 * entry, built in the background after open (or on the first search) and kept current from the collections' change
 * streams, so replicated changes are found too.
 * NOTE: "contains" needs every title; scanning ~100 bytes per entry in memory
 * beats parsing every stored document per keystroke by two orders of magnitude.
 */
export function createSearchIndex(ctx: ServiceContext): SearchIndex {
  const entries = new Map<string, Entry>();
  /** Ids changed while a build runs: their stored versions read by the build are older. */
  const touched = new Set<string>();
  let scanning = false;
  let building: Promise<void> | undefined;

  const subscriptions: Subscription[] = ENTITY_TYPES.map((type) =>
    ctx.database.entities[type].$.subscribe((event) => {
      if (scanning) touched.add(event.documentId);
      if (event.operation === 'DELETE') entries.delete(event.documentId);
      else entries.set(event.documentId, toEntry(type, event.documentData as DocumentData));
    }),
  );

  async function build(): Promise<void> {
    scanning = true;
    try {
      await scanAll();
    } finally {
      scanning = false;
      touched.clear();
    }
  }

  async function scanAll(): Promise<void> {
    for (const type of ENTITY_TYPES) {
      for await (const batch of scanEntities(ctx.database.entities[type], { includeTrash: true })) {
        for (const document of batch) {
          const id = document.id as string;
          // A change event that arrived while building is newer than this read.
          if (!touched.has(id)) entries.set(id, toEntry(type, document));
        }
      }
    }
  }

  const ensureBuilt = () => {
    building ??= build().catch((error: unknown) => {
      building = undefined;
      throw error;
    });
    return building;
  };
  // Built in the background soon after open, so the first search does not wait for it.
  const warmUp = setTimeout(() => void ensureBuilt().catch(() => undefined), WARM_UP_DELAY_MS);
  warmUp.unref();

  return {
    async search(input) {
      await ensureBuilt();
      const needle = input.query.trim().toLowerCase();
      if (needle === '') return [];
      const types = input.types && input.types.length > 0 ? new Set(input.types) : undefined;
      const limit = Math.min(input.limit ?? 20, 200);
      const top: RankedHit[] = [];
      for (const entry of entries.values()) {
        if (types && !types.has(entry.type)) continue;
        if (entry.inTrash && !input.includeTrash) continue;
        if (!entry.all.includes(needle)) continue;
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
        // Most entries of a short query cannot make the top list: skip them before building a hit.
        const worst = top.length === limit ? top[limit - 1]! : undefined;
        if (worst && (best > worst.order || (best === worst.order && entry.title.length > worst.title.length)))
          continue;
        const { type, id, title, inTrash } = entry;
        insertRanked(top, { type, id, title, matched, rank: RANKS[best]!, inTrash, order: best }, limit);
      }
      return top.map(({ order: _order, ...hit }) => hit);
    },
    close() {
      clearTimeout(warmUp);
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

/** Inserts `hit` into the ordered `top` list, keeping at most `limit` hits. */
function insertRanked(top: RankedHit[], hit: RankedHit, limit: number): void {
  let at = top.length;
  while (at > 0 && before(hit, top[at - 1]!)) at--;
  if (at >= limit) return;
  top.splice(at, 0, hit);
  if (top.length > limit) top.pop();
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
    all: terms.join('\n').toLowerCase(),
    inTrash: document.deletedAt !== null && document.deletedAt !== undefined,
  };
}
