import { randomUUID } from 'node:crypto';
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
import { savedViewSchema, type SavedView, type VersionedView } from './view-schema';

const DOCUMENT_ID = 'saved-views';
/** The version of a view saved before views had versions, until it is saved again. */
export const UNVERSIONED = 'unversioned';
export const MAX_VIEWS_PER_TYPE = 100;

export type ViewService = ReturnType<typeof createViewService>;

/**
 * Named views of the lists (filters, trash state, sort, columns), kept in the
 * profile's local database: they survive a restart and never replicate, like
 * settings. A view is found by its type and name; saving under a taken name
 * replaces that view. Each view has a version (`rev`), new at every save, so a
 * delete names the version the person was shown.
 *
 * NOTE: the versions are kept beside the views (`revs`, by type and name), not
 * in them: a Curio from before versions reads the views with a strict schema,
 * and a field it does not know would make it drop them all. A view it saves
 * has no version here and reads as UNVERSIONED until saved again.
 */
export function createViewService(ctx: ServiceContext, local: RxDatabase) {
  async function readAll(): Promise<VersionedView[]> {
    const stored = (await local.getLocal<{ views?: unknown; revs?: unknown }>(DOCUMENT_ID))?.toJSON().data;
    const parsed = z.array(savedViewSchema).safeParse(stored?.views ?? []);
    const revs = z
      .record(z.string(), z.string())
      .catch({})
      .parse(stored?.revs ?? {});
    // A view a later version cannot read is dropped rather than breaking every list.
    return parsed.success ? parsed.data.map((view) => ({ ...view, rev: revs[keyOf(view)] ?? UNVERSIONED })) : [];
  }
  async function writeAll(views: VersionedView[]): Promise<void> {
    await local.upsertLocal(DOCUMENT_ID, {
      views: views.map(({ rev: _rev, ...view }) => view),
      revs: Object.fromEntries(views.map((view) => [keyOf(view), view.rev])),
    });
  }
  const sameKey = (view: SavedView, type: EntityType, name: string) =>
    view.type === type && view.name.toLowerCase() === name.toLowerCase();
  const pluralOf = (type: EntityType) => entities[type].pluralLabel.toLowerCase();

  return {
    /** The saved views of one type, by name. */
    async list(type: EntityType): Promise<VersionedView[]> {
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
    async save(input: unknown, replaces?: boolean): Promise<VersionedView> {
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
        const saved = { ...view, rev: randomUUID() };
        await writeAll([...others, saved]);
        return saved;
      });
    },

    /**
     * Deletes a view, the version `rev` the person was shown. A view saved again since (e.g. replaced in
     * another window) is refused (CONFLICT naming it, nothing deleted) rather than deleted unseen.
     */
    async remove(type: EntityType, name: string, rev: string): Promise<void> {
      requireRole(ctx, 'viewer', 'delete views');
      await ctx.lock.run(async () => {
        const views = await readAll();
        const existing = views.find((view) => sameKey(view, type, name));
        if (!existing) {
          throw new AppError('NOT_FOUND', `There is no saved view "${name}" of ${pluralOf(type)}.`);
        }
        if (existing.rev !== rev) {
          throw new AppError(
            'CONFLICT',
            `The view of ${pluralOf(type)} "${existing.name}" was replaced in another window after it was shown here. Nothing was deleted: look at what it holds now, and delete it again if you still mean to.`,
          );
        }
        await writeAll(views.filter((view) => view !== existing));
      });
    },

    changes$: local.getLocal$(DOCUMENT_ID),
  };
}

/** A view's place in the stored versions: its type and name, case ignored (as views are found). */
const keyOf = (view: SavedView) => `${view.type}/${view.name.toLowerCase()}`;

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
