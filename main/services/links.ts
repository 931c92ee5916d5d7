import { ENTITY_TYPES, entities, type EntityType } from '../../shared/entities/registry';
import { AppError } from '../../shared/errors';
import type { ServiceContext } from './context';
import { countedEntries } from '../../shared/readable';
import { loadDocument } from './entities';
import { titlesOf } from './link-titles';
import { openOnce } from './derived-tables';
import { openLinkStore, type StoredLink } from './link-store';

export type BackLink = StoredLink;

/** The entries of one type that link to an entry. */
export interface BackLinkGroup {
  type: EntityType;
  /** Live entries that link here ("Appears in 3 videos"). */
  count: number;
  /** Entries in the trash that still link here. */
  inTrash: number;
  /** Live first, then by title; at most the limit asked for. */
  items: BackLink[];
}

export interface BackLinks {
  groups: BackLinkGroup[];
  /** In words: "Appears in 3 videos." */
  summary: string;
}

export const DEFAULT_BACK_LINK_LIMIT = 200;
export const MAX_TITLE_LOOKUP = 5000;

export type LinkService = ReturnType<typeof createLinkService>;

/** What links to an entry (back-links), and the titles of linked entries for lists and chips. */
export function createLinkService(ctx: ServiceContext) {
  const store = openOnce(() => openLinkStore(ctx));
  // Opened right away: only a first open (or changed references) builds anything.
  void store().catch(() => undefined);

  return {
    /** Every type whose references point at `type`, with the entries that link to entry `id`. */
    async backLinks(type: EntityType, id: string, limit = DEFAULT_BACK_LINK_LIMIT): Promise<BackLinks> {
      await loadDocument(ctx, type, id);
      const links = await store();
      await links.catchUp();
      const groups = sourcesOf(type).map((source) => {
        const { live, trash } = links.count(id, source);
        return { type: source, count: live, inTrash: trash, items: links.referrers(id, source, limit) };
      });
      return { groups, summary: summarize(groups) };
    },

    /**
     * Titles of linked entries, by id, for the ids a list page or a chip shows.
     * Ids that name no entry (deleted permanently) are left out.
     */
    async titles(refs: { type: EntityType; ids: string[] }[]): Promise<Record<string, string>> {
      const total = refs.reduce((sum, ref) => sum + ref.ids.length, 0);
      if (total > MAX_TITLE_LOOKUP) {
        throw new AppError('VALIDATION', `Ask for at most ${MAX_TITLE_LOOKUP} titles at once (asked for ${total}).`, [
          { field: 'refs', message: 'Too many ids.' },
        ]);
      }
      const wanted = new Map<EntityType, Set<string>>();
      for (const ref of refs) wanted.set(ref.type, new Set([...(wanted.get(ref.type) ?? []), ...ref.ids]));
      return titlesOf(ctx, wanted);
    },

    close() {
      void store()
        .then((links) => links.close())
        .catch(() => undefined);
    },
  };
}

/** The types with a reference field pointing at `target`, in registry order. */
function sourcesOf(target: EntityType): EntityType[] {
  return ENTITY_TYPES.filter((type) => entities[type].references.some((reference) => reference.target === target));
}

function summarize(groups: BackLinkGroup[]): string {
  const parts = groups.filter((group) => group.count > 0).map((group) => countedEntries(group.type, group.count));
  if (parts.length === 0) {
    const kinds = groups.map((group) => entities[group.type].pluralLabel.toLowerCase());
    return kinds.length === 0 ? 'Nothing links to entries of this type.' : `Appears in no ${kinds.join(' or ')}.`;
  }
  return `Appears in ${parts.join(', ')}.`;
}
