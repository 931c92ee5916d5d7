import { ENTITY_TYPES, entities, titleOf, type EntityDocument, type EntityType } from '../../shared/entities/registry';
import { AppError } from '../../shared/errors';
import { counted, ELSEWHERE, isYou, oneOrMany, whoDid } from '../../shared/readable';
import { IN_TRASH, type DocumentData } from '../database';
import type { ServiceContext } from './context';
import { loadDocument } from './entities';
import { requireRole } from './permissions';
import { assertPreviewCurrent } from './preview-token';
import { planPurge, type PurgePreview, type PurgeScope } from './purge-plan';
import {
  findReferrers,
  findReferrersOfMany,
  linkedFromOutside,
  previewTrash,
  referenceReport,
  removeReferences,
  removeReferencesToMany,
  type ReferenceReport,
  type Referrer,
  type TrashPreviewEntry,
  type TrashPreviewVersion,
} from './references';
import type { SearchIndex } from './search-index';
import type { SettingsService } from './settings';
import type { SnapshotService } from './snapshots';
import { assertNamesFree, previewRestore, type RestorePreviewEntry } from './trash-restore-preview';
import { removeEntity, replaceEntity, runWrite } from './writes';

export interface EntityRef {
  type: EntityType;
  id: string;
  /** When given, the write is refused if the entry changed since (CONFLICT). */
  rev?: string;
  /**
   * For a move to the trash: the ids of the live entries the question named as linking to this one (none:
   * `[]`). A live entry linking to it that is not among them (a link made since) refuses the move (CONFLICT).
   */
  linked?: string[];
}

export interface TrashItem {
  type: EntityType;
  document: EntityDocument;
}

export interface PurgeProgress {
  done: number;
  total: number;
}

export type TrashService = ReturnType<typeof createTrashService>;

export function createTrashService(
  ctx: ServiceContext,
  settings: SettingsService,
  snapshots: SnapshotService,
  search: SearchIndex,
) {
  return {
    /**
     * Soft delete: the entries leave lists and pickers but keep every reference. All or nothing. An item
     * naming the version asked about (`rev`) or the links shown (`linked`) is checked against both before
     * anything moves: changed or newly linked since, nothing moves and the refusal says who did what.
     * Entries in the trash already (moved by someone else meanwhile) are left as they are.
     */
    async trash(items: EntityRef[]): Promise<number> {
      requireRole(ctx, 'editor', 'move entries to the trash');
      return runWrite(ctx, async () => {
        const at = ctx.now().toISOString();
        const me = ctx.session().actor.id;
        const named = (type: EntityType, data: DocumentData) =>
          items.length === 1
            ? `this ${entities[type].label.toLowerCase()}`
            : `the ${entities[type].label.toLowerCase()} “${titleOf(type, data) || '(untitled)'}”`;
        const loaded = [];
        for (const item of items) {
          const current = await loadDocument(ctx, item.type, item.id);
          const data = current.toJSON() as DocumentData;
          if (data.deletedAt !== null) continue;
          if (item.rev) assertTrashingAsked(item.type, data, item.rev, me, named(item.type, data));
          loaded.push({ item, current, data });
        }
        const shown = loaded.filter(({ item }) => item.linked !== undefined);
        if (shown.length > 0) {
          const reports = await findReferrersOfMany(
            ctx,
            shown.map(({ item }) => item),
          );
          for (const { item, data } of shown) {
            const asked = new Set(item.linked);
            const added = linkedFromOutside(reports.get(item.id)!.referrers, items).filter((r) => !asked.has(r.id));
            if (added.length > 0) throw linkedMeanwhile(added, me, named(item.type, data));
          }
        }
        for (const { item, current, data } of loaded) {
          await replaceEntity(
            ctx,
            item.type,
            current,
            { ...data, deletedAt: at, deletedBy: ctx.session().actor },
            'trash',
          );
        }
        return loaded.length;
      });
    },

    /** Brings entries back; refused (nothing restored) when a live entry has taken a name meanwhile. */
    async restore(items: EntityRef[]): Promise<number> {
      requireRole(ctx, 'editor', 'restore entries from the trash');
      return runWrite(ctx, async () => {
        const loaded = await Promise.all(
          items.map(async (item) => ({ item, doc: await loadDocument(ctx, item.type, item.id) })),
        );
        const toRestore = loaded.filter(({ doc }) => doc.get('deletedAt') !== null);
        await assertNamesFree(
          ctx,
          toRestore.map(({ item, doc }) => ({ type: item.type, data: doc.toJSON() as DocumentData })),
        );
        for (const { item, doc } of toRestore) {
          const data = doc.toJSON() as DocumentData;
          if (item.rev) assertRestoringAsked(item.type, data, item.rev, ctx.session().actor.id);
          await replaceEntity(ctx, item.type, doc, { ...data, deletedAt: null, deletedBy: null }, 'restore');
        }
        return toRestore.length;
      });
    },

    /**
     * What restoring `items` would do, for the question asked before `restore`: who trashed each and when,
     * which cannot come back (a live entry took its name), which will share a name with a live entry, and
     * which links stay "in trash". Writes nothing.
     */
    restorePreview(items: EntityRef[]): Promise<{ entries: RestorePreviewEntry[] }> {
      return previewRestore(ctx, search, items);
    },

    /** What moving `items` to the trash leaves linked from live entries, for the one question asked first. */
    trashPreview(items: EntityRef[]): Promise<{ linked: TrashPreviewEntry[]; versions: TrashPreviewVersion[] }> {
      return previewTrash(ctx, items);
    },

    references(type: EntityType, id: string): Promise<ReferenceReport> {
      return findReferrers(ctx, type, id);
    },

    /**
     * Deletes for good (admin). Without `confirm`, reports what refers to the
     * entries from outside the batch as the error. With it, removes those
     * references (each audited) and then deletes; all entries in one commit.
     * Entries of the batch that refer to each other go together: their links
     * are not removed first.
     */
    async deletePermanently(items: EntityRef[], confirm: boolean): Promise<number> {
      requireRole(ctx, 'admin', 'delete entries permanently');
      const batch = [...new Map(items.map((item) => [item.id, item])).values()];
      return runWrite(ctx, async () => {
        const inBatch = new Set(batch.map((item) => item.id));
        const reports = new Map<string, ReferenceReport>();
        for (const [id, report] of await findReferrersOfMany(ctx, batch)) {
          const outside = report.referrers.filter((referrer) => !inBatch.has(referrer.id));
          reports.set(id, outside.length === report.referrers.length ? report : referenceReport(outside));
        }
        if (!confirm)
          throw confirmationError(
            batch,
            batch.map((item) => reports.get(item.id)!),
          );
        // NOTE: every entry is checked against the version asked about before the batch writes anything:
        // the batch's own writes give entries new revisions, and only a change made before this commit (by
        // someone else: writes from outside wait for it) must refuse it.
        const documents = [];
        for (const item of batch) {
          const current = await loadDocument(ctx, item.type, item.id);
          if (item.rev)
            assertUnchangedSinceAsked(item.type, current.toJSON() as DocumentData, item.rev, ctx.session().actor.id);
          documents.push({ type: item.type, current });
        }
        await removeReferencesToMany(ctx, reports);
        for (const { type, current } of documents) await removeEntity(ctx, type, current);
        return batch.length;
      });
    },

    /** What a purge of `scope` would delete and which references it would remove (admin). Writes nothing. */
    async purgePreview(scope: PurgeScope): Promise<PurgePreview> {
      requireRole(ctx, 'admin', 'purge the trash');
      return (await planPurge(ctx, (await settings.get()).trashRetentionDays, scope)).preview;
    },

    /**
     * Permanently deletes what `purgePreview(scope)` listed, one commit per
     * entry, reporting progress. Refused (CONFLICT) when the plan no longer
     * matches the preview's `token`; a safety snapshot is taken first.
     */
    async *purge(scope: PurgeScope, token: string): AsyncGenerator<PurgeProgress, number> {
      requireRole(ctx, 'admin', 'purge the trash');
      const retentionDays = (await settings.get()).trashRetentionDays;
      const { due, reports } = await ctx.lock.run(async () => {
        const plan = await planPurge(ctx, retentionDays, scope);
        assertPreviewCurrent(token, plan.preview.token, 'this purge');
        if (plan.due.length > 0) await snapshots.take('before-purge');
        return plan;
      });
      yield { done: 0, total: due.length };
      let done = 0;
      for (const item of due) {
        await runWrite(ctx, async () => {
          const current = await ctx.database.entities[item.type].findOne(item.id).exec();
          // Restored or deleted by someone else since the list was made: nothing to purge.
          if (!current || current.get('deletedAt') === null) return;
          await removeReferences(ctx, reports.get(item.id)!, item.id);
          await removeEntity(ctx, item.type, await loadDocument(ctx, item.type, item.id));
        });
        done++;
        yield { done, total: due.length };
      }
      return done;
    },

    /** Trashed entries of one or all types, most recently deleted first. */
    async list(input: { type?: EntityType; cursor?: string | null; limit?: number }) {
      const limit = Math.min(Math.max(input.limit ?? 50, 1), 500);
      const after = input.cursor ? decodeTrashCursor(input.cursor) : undefined;
      const types = input.type ? [input.type] : ENTITY_TYPES;
      const pages = await Promise.all(
        types.map(async (type) => {
          const selector: DocumentData = { ...IN_TRASH };
          if (after) {
            selector.deletedAt = { $gt: '', $lte: after.deletedAt };
            selector.$or = [
              { deletedAt: { $lt: after.deletedAt } },
              { deletedAt: after.deletedAt, id: { $lt: after.id } },
            ];
          }
          const found = await ctx.database.entities[type]
            .find({
              selector,
              sort: [{ deletedAt: 'desc' }, { id: 'desc' }],
              limit: limit + 1,
              index: ['deletedAt', 'id'],
            })
            .exec();
          return found.map((doc) => ({ type, document: doc.toJSON() as EntityDocument }));
        }),
      );
      const merged = pages.flat().sort((a, b) => compareDesc(a.document, b.document));
      const items: TrashItem[] = merged.slice(0, limit);
      const last = items[items.length - 1];
      const nextCursor =
        merged.length > limit && last
          ? Buffer.from(JSON.stringify({ deletedAt: last.document.deletedAt, id: last.document.id })).toString(
              'base64url',
            )
          : null;
      return { items, nextCursor };
    },
  };
}

/**
 * A permanent delete names the version the person asked about (`rev`): an entry restored or edited
 * since (on this device or pulled from another) is not deleted, and the refusal says who did what.
 * The person's own change from another window or device says "You …".
 */
function assertUnchangedSinceAsked(type: EntityType, current: DocumentData, rev: string, me: string): void {
  if (current.rev === rev) return;
  const label = entities[type].label.toLowerCase();
  const actor = current.updatedBy as { id?: string; name?: string } | null;
  throw new AppError(
    'CONFLICT',
    current.deletedAt === null
      ? `${whoDid(actor, me, `restored this ${label} from the trash`)} meanwhile, so nothing was deleted. ` +
          `It is back among the ${entities[type].pluralLabel.toLowerCase()}.`
      : `${whoDid(actor, me, `changed this ${label}`)} meanwhile, so nothing was deleted. Look at it again, then delete it if you still want to.`,
  );
}

/**
 * A move to the trash confirmed on a question names the version it showed (`rev`): an entry edited since
 * (on this device or pulled from another) is not moved unseen; the refusal says who changed it.
 */
function assertTrashingAsked(type: EntityType, current: DocumentData, rev: string, me: string, named: string): void {
  if (current.rev === rev) return;
  const actor = current.updatedBy as { id?: string; name?: string } | null;
  throw new AppError(
    'CONFLICT',
    `${whoDid(actor, me, `changed ${named}`)} meanwhile, so nothing was moved to the trash. Look at it again, then move it if you still want to.`,
  );
}

/**
 * The refusal of a move to the trash that would leave links the question did not show: who linked what to
 * the entry meanwhile ("Eddie Editor linked Video: Rex at the beach to this dog meanwhile, …").
 */
function linkedMeanwhile(added: Referrer[], me: string, named: string): AppError {
  const people = [...new Set(added.map((r) => (isYou(r.by, me) ? 'You' : (r.by?.name ?? 'Someone'))))];
  const who = people.length === 1 ? people[0]! : 'Others';
  const where = people.length === 1 && people[0] === 'You' ? ` ${ELSEWHERE}` : '';
  const what = added.map((r) => `${entities[r.type].label}: ${r.title || '(untitled)'}`).join(', ');
  return new AppError(
    'CONFLICT',
    `${who} linked ${what} to ${named}${where} meanwhile, so nothing was moved to the trash. ` +
      'Look at what links to it again, then move it if you still want to.',
  );
}

/**
 * A restore confirmed on a preview names the version it showed (`rev`): an entry changed in the trash
 * since (edited, or restored and trashed again) is not brought back unseen; the refusal says who.
 */
function assertRestoringAsked(type: EntityType, current: DocumentData, rev: string, me: string): void {
  if (current.rev === rev) return;
  const label = entities[type].label.toLowerCase();
  const actor = current.updatedBy as { id?: string; name?: string } | null;
  throw new AppError(
    'CONFLICT',
    `${whoDid(actor, me, `changed this ${label} in the trash`)} meanwhile, so nothing was restored. Look at what the restore does again, then restore it if you still want to.`,
  );
}

function compareDesc(a: EntityDocument, b: EntityDocument): number {
  const at = String(b.deletedAt).localeCompare(String(a.deletedAt));
  return at !== 0 ? at : b.id < a.id ? -1 : b.id > a.id ? 1 : 0;
}

function decodeTrashCursor(raw: string): { deletedAt: string; id: string } {
  try {
    const cursor = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as { deletedAt: string; id: string };
    if (typeof cursor.deletedAt === 'string' && typeof cursor.id === 'string') return cursor;
  } catch {
    // fall through to the error below
  }
  throw new AppError('VALIDATION', 'This trash page cursor is not valid. Load the first page again.', [
    { field: 'cursor', message: 'Stale or foreign cursor.' },
  ]);
}

function confirmationError(items: EntityRef[], reports: ReferenceReport[]): AppError {
  const referenced = reports.filter((r) => r.referrers.length > 0);
  const what = oneOrMany(items.length, 'this entry', `these ${counted(items.length, 'entry', 'entries')}`);
  if (referenced.length === 0) {
    return new AppError('CONFIRMATION_REQUIRED', `Deleting ${what} permanently cannot be undone. Confirm to go ahead.`);
  }
  const summary =
    items.length === 1
      ? reports[0]!.summary
      : `${referenced.length.toLocaleString()} of them ${oneOrMany(referenced.length, 'is', 'are')} referenced elsewhere.`;
  return new AppError(
    'REFERENCED',
    `${summary} Deleting ${what} permanently removes ${oneOrMany(items.length, 'it', 'them')} from those entries too and cannot be undone. Confirm to go ahead.`,
  );
}
