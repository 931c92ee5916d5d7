import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import type { EntityType } from '../../../shared/entities';
import type { Permission } from '../../../shared/permissions';

/** The screens of the app; a closed set so navigation and tests agree on names. */
export const SCREENS = [
  'home',
  'library',
  'trash',
  'audit',
  'conflicts',
  'sync',
  'transfer',
  'team',
  'account',
  'settings',
] as const;
export type Screen = (typeof SCREENS)[number];

/**
 * Screens only some roles may open, by the permission (shared/permissions.ts)
 * they serve: the others do not see them in the navigation, and reaching one
 * anyway (a reload, a persisted screen, a demotion) shows why not instead.
 */
export const SCREEN_PERMISSION: Partial<Record<Screen, Permission>> = { team: 'manageTeam' };

export type Theme = 'light' | 'dark';

/** The entry open in the editor; `id: null` is a new entry. */
export interface EditorTarget {
  type: EntityType;
  id: string | null;
}

interface UiState {
  screen: Screen;
  libraryType: EntityType;
  editor: EditorTarget | null;
  /** A message the editor shows when it opens (e.g. "Saved." after a new entry got its id). */
  editorNotice: string | null;
  history: { type: EntityType; id: string } | null;
  theme: Theme;
  /** Bumped to ask the library's search box to take focus (Ctrl+K, /). */
  searchFocusRequest: number;
  /**
   * The waiting changes the person chose to keep waiting ("Keep them waiting"), as a mark of the list
   * (`waitingMark`): the "not sent" notice stays folded while the same changes wait, and opens again when
   * one more waits or one is changed again (docs/decisions.md).
   */
  keptWaiting: string | null;
  go(screen: Screen): void;
  openLibrary(type: EntityType): void;
  openEditor(target: EditorTarget | null, notice?: string): void;
  openHistory(target: { type: EntityType; id: string } | null): void;
  setTheme(theme: Theme): void;
  requestSearchFocus(): void;
  keepWaiting(mark: string | null): void;
}

/**
 * UI state only (which screen, what is open, the theme). Data lives in the core and
 * reaches the screens through tRPC; nothing here duplicates it. Persisted so a reload
 * comes back to the same screen and the same open editor (whose draft Dexie keeps).
 */
export const useUi = create<UiState>()(
  persist(
    (set) => ({
      screen: 'home',
      libraryType: 'video',
      editor: null,
      editorNotice: null,
      history: null,
      theme: preferredTheme(),
      searchFocusRequest: 0,
      keptWaiting: null,
      go: (screen) => set({ screen, history: null }),
      openLibrary: (type) => set({ screen: 'library', libraryType: type, history: null }),
      openEditor: (editor, notice) => set({ editor, editorNotice: notice ?? null, history: null }),
      openHistory: (history) => set({ history }),
      setTheme: (theme) => set({ theme }),
      requestSearchFocus: () => set((s) => ({ screen: 'library', searchFocusRequest: s.searchFocusRequest + 1 })),
      keepWaiting: (keptWaiting) => set({ keptWaiting }),
    }),
    {
      name: 'curio-ui',
      storage: createJSONStorage(() => localStorage),
      partialize: ({ screen, libraryType, editor, history, theme, keptWaiting }) => ({
        screen,
        libraryType,
        editor,
        history,
        theme,
        keptWaiting,
      }),
    },
  ),
);

function preferredTheme(): Theme {
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}
