import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import { defaultColumns, type EntityType } from '../../../shared/entities';
import type { Inputs } from '../api/types';

type ListInput = Inputs['entities']['list'];
export type ListFilters = NonNullable<ListInput['filters']>;
export type FilterValue = ListFilters[string];
export type ListSort = NonNullable<ListInput['sort']>;
export type TrashState = NonNullable<ListInput['view']>;

/** How one type's list is shown: what the user filtered, sorted and chose as columns. */
export interface ListState {
  filters: ListFilters;
  trash: TrashState;
  /** null: the list's default order (its first column, ascending). */
  sort: ListSort | null;
  columns: string[];
  /** The saved view last applied or saved, while the list still matches it. */
  view: string | null;
}

export function initialListState(type: EntityType): ListState {
  return { filters: {}, trash: 'live', sort: null, columns: defaultColumns(type), view: null };
}

/** True when filters or the trash state hide some entries of the list. */
export function isFiltered(state: ListState): boolean {
  return Object.keys(state.filters).length > 0 || state.trash !== 'live';
}

interface ListStore {
  lists: Partial<Record<EntityType, ListState>>;
  /** Changes part of a list's state; any change but `view` itself leaves the saved view. */
  update(type: EntityType, patch: Partial<ListState>): void;
  clearFilters(type: EntityType): void;
}

/**
 * Per type, the list's filters, sort and columns, so a list looks the same
 * when the user leaves and comes back (and after a reload). UI state only:
 * named views are saved in the profile through the core (`views` router).
 */
export const useLists = create<ListStore>()(
  persist(
    (set) => ({
      lists: {},
      update: (type, patch) =>
        set((s) => {
          const current = s.lists[type] ?? initialListState(type);
          return { lists: { ...s.lists, [type]: { ...current, view: null, ...patch } } };
        }),
      clearFilters: (type) =>
        set((s) => {
          const current = s.lists[type] ?? initialListState(type);
          return { lists: { ...s.lists, [type]: { ...current, filters: {}, trash: 'live', view: null } } };
        }),
    }),
    { name: 'curio-lists', storage: createJSONStorage(() => localStorage) },
  ),
);

/** One type's list state, with its defaults until the user changes something. */
export function useListState(type: EntityType): ListState {
  return useLists((s) => s.lists[type]) ?? initialListState(type);
}
