import type { RxDatabase } from 'rxdb';
import { z } from 'zod';
import { columnFields } from '../../shared/entities/columns';
import { entities, type EntityType } from '../../shared/entities/registry';
import { AppError } from '../../shared/errors';
import { parseOrThrow } from '../../shared/validation';
import type { ServiceContext } from './context';
import { assertSortable } from './list';
import { filterSelector } from './list-filters';
import { requireRole } from './permissions';
import { savedViewSchema, type SavedView } from './view-schema';

const DOCUMENT_ID = 'saved-views';
export const MAX_VIEWS_PER_TYPE = 100;

export type ViewService = ReturnType<typeof createViewService>;

/**
 * Named views of the lists (filters, trash state, sort, columns), kept in the
 * profile's local database: they survive a restart and never replicate, like
 * settings. A view is found by its type and name; saving under a taken name
 * replaces that view.
 */
export function createViewService(ctx: ServiceContext, local: RxDatabase) {
  async function readAll(): Promise<SavedView[]> {
    const stored = await local.getLocal<{ views?: unknown }>(DOCUMENT_ID);
    const parsed = z.array(savedViewSchema).safeParse(stored?.toJSON().data.views ?? []);
    // A view a later version cannot read is dropped rather than breaking every list.
    return parsed.success ? parsed.data : [];
  }
  const sameKey = (view: SavedView, type: EntityType, name: string) =>
    view.type === type && view.name.toLowerCase() === name.toLowerCase();

  return {
    /** The saved views of one type, by name. */
    async list(type: EntityType): Promise<SavedView[]> {
      const views = (await readAll()).filter((view) => view.type === type);
      return views.sort((a, b) => a.name.localeCompare(b.name));
    },

    /** How many views are saved, of every type. */
    async count(): Promise<number> {
      return (await readAll()).length;
    },

    /**
     * Saves a view. `replaces` says whether the person was told a view of that name exists: `false` refuses
     * (CONFLICT, nothing saved) a view of that name saved meanwhile, e.g. in another window, rather than
     * replacing it unseen. Left out, a view of that name is replaced.
     */
    async save(input: unknown, replaces?: boolean): Promise<SavedView> {
      requireRole(ctx, 'viewer', 'save views');
      const view = parseOrThrow(savedViewSchema, input, 'This view');
      assertViewFits(view);
      return ctx.lock.run(async () => {
        const views = await readAll();
        const existing = views.find((other) => sameKey(other, view.type, view.name));
        if (existing && replaces === false) {
          throw new AppError(
            'CONFLICT',
            `A view of ${entities[view.type].pluralLabel.toLowerCase()} named "${existing.name}" was saved in another window meanwhile. Nothing was saved: save again to replace it, or choose another name.`,
            [{ field: 'name', message: 'A view with this name was saved meanwhile.' }],
          );
        }
        const others = views.filter((existing) => !sameKey(existing, view.type, view.name));
        if (others.filter((existing) => existing.type === view.type).length >= MAX_VIEWS_PER_TYPE) {
          throw new AppError(
            'VALIDATION',
            `${entities[view.type].pluralLabel} already have ${MAX_VIEWS_PER_TYPE} saved views. Delete one before saving another.`,
          );
        }
        await local.upsertLocal(DOCUMENT_ID, { views: [...others, view] });
        return view;
      });
    },

    async remove(type: EntityType, name: string): Promise<void> {
      requireRole(ctx, 'viewer', 'delete views');
      await ctx.lock.run(async () => {
        const views = await readAll();
        const kept = views.filter((view) => !sameKey(view, type, name));
        if (kept.length === views.length) {
          throw new AppError(
            'NOT_FOUND',
            `There is no saved view "${name}" of ${entities[type].pluralLabel.toLowerCase()}.`,
          );
        }
        await local.upsertLocal(DOCUMENT_ID, { views: kept });
      });
    },

    changes$: local.getLocal$(DOCUMENT_ID),
  };
}

/** A view names only columns, filters and a sort its type's list understands. */
function assertViewFits(view: SavedView): void {
  const known = columnFields(view.type);
  const unknown = view.columns.filter((column) => !known.includes(column));
  if (unknown.length > 0) {
    throw new AppError(
      'VALIDATION',
      `${entities[view.type].pluralLabel} have no column ${unknown.map((c) => `"${c}"`).join(', ')}. Use some of: ${known.join(', ')}.`,
      [{ field: 'columns', message: 'Unknown column.' }],
    );
  }
  filterSelector(view.type, view.filters);
  if (view.sort) assertSortable(view.type, view.sort.field);
}
