import Papa from 'papaparse';
import type { MangoQuerySelector } from 'rxdb';
import type { AuditAction, AuditEntry } from '../../shared/audit';
import { entities, type EntityType } from '../../shared/entities/registry';
import { AppError } from '../../shared/errors';
import { ACTION_WORDS, readableEntryChanges } from '../../shared/readable';
import type { DocumentData } from '../database';
import { findAuditedEntries, type AuditedEntryInput } from './audit-entries';
import type { ServiceContext } from './context';
import { openExportFile } from './export-file';
import { withTitles, type TitledAuditEntry } from './link-titles';
import type { SearchIndex } from './search-index';

export interface AuditQuery {
  actorId?: string;
  action?: AuditAction;
  entityType?: EntityType;
  entityId?: string;
  /** Inclusive ISO timestamps. */
  from?: string;
  to?: string;
  cursor?: string | null;
  limit?: number;
}

/** What a streamed export reports: progress, then where the file is. */
export type ExportEvent =
  { type: 'progress'; done: number; total: number } | { type: 'done'; filePath: string; rows: number };

const EXPORT_BATCH = 1000;

/** Every audit entry of one entity, oldest first (history views, who changed a field last). */
export async function auditEntriesOf(ctx: ServiceContext, entityId: string): Promise<AuditEntry[]> {
  const found = await ctx.database.audit
    .find({
      selector: { entityId },
      sort: [{ entityId: 'asc' }, { at: 'asc' }, { id: 'asc' }],
      index: ['entityId', 'at', 'id'],
    })
    .exec();
  return found.map((doc) => doc.toJSON() as AuditEntry);
}

export type AuditService = ReturnType<typeof createAuditService>;

export function createAuditService(ctx: ServiceContext, searchIndex: SearchIndex) {
  const audit = ctx.database.audit;

  /** Newest first, by keyset on (at, id); each entry with the titles of the entries its changes link to. */
  async function query(input: AuditQuery): Promise<{ items: TitledAuditEntry[]; nextCursor: string | null }> {
    const limit = Math.min(Math.max(input.limit ?? 100, 1), 1000);
    const selector = selectorFor(input);
    const found = await audit
      .find({ selector, sort: [{ at: 'desc' }, { id: 'desc' }], limit: limit + 1, index: indexFor(input) })
      .exec();
    const items = found.slice(0, limit).map((doc) => doc.toJSON() as AuditEntry);
    const last = items[items.length - 1];
    const nextCursor =
      found.length > limit && last
        ? Buffer.from(JSON.stringify({ at: last.at, id: last.id })).toString('base64url')
        : null;
    return { items: await withTitles(ctx, items), nextCursor };
  }

  return {
    query,

    /** Time and actor of every entry since `from`, oldest first: what a chart of edits per day needs. */
    async activity(from: string): Promise<{ at: string; actor: AuditEntry['actor']; action: AuditAction }[]> {
      const found = await audit
        .find({ selector: { at: { $gte: from } }, sort: [{ at: 'asc' }, { id: 'asc' }], index: ['at', 'id'] })
        .exec();
      return found.map((doc) => {
        const { at, actor, action } = doc.toJSON() as AuditEntry;
        return { at, actor, action };
      });
    },

    /**
     * Everyone who appears in the audit, by name, each with the name of their latest entry. NOTE: a
     * skip scan down the (actor.id, at, id) index, one single-row query per actor, so the cost grows
     * with the number of actors, not of entries.
     */
    async actors(): Promise<AuditEntry['actor'][]> {
      const found: AuditEntry['actor'][] = [];
      for (let below: string | null = null; ;) {
        const selector: MangoQuerySelector<DocumentData> = below === null ? {} : { 'actor.id': { $lt: below } };
        const [doc] = await audit
          .find({
            selector,
            sort: [{ 'actor.id': 'desc' }, { at: 'desc' }, { id: 'desc' }],
            limit: 1,
            index: ['actor.id', 'at', 'id'],
          })
          .exec();
        if (!doc) break;
        const { actor } = doc.toJSON() as AuditEntry;
        found.push({ id: actor.id, name: actor.name });
        below = actor.id;
      }
      return found.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
    },

    /**
     * The entries of a type the audit's Entry filter offers for a query: live, in the trash, and deleted
     * permanently (named by their trail), each saying which.
     */
    entries: (input: AuditedEntryInput) => findAuditedEntries(ctx, searchIndex, input),

    count(input: AuditQuery): Promise<number> {
      return audit.count({ selector: selectorFor({ ...input, cursor: null }) }).exec();
    },

    /** Writes the matching entries to a CSV or JSON file, newest first, reporting progress. */
    async *export(input: AuditQuery & { format: 'csv' | 'json'; filePath?: string }): AsyncGenerator<ExportEvent> {
      const filter = { ...input, cursor: null };
      const total = await audit.count({ selector: selectorFor(filter) }).exec();
      const file = await openExportFile(ctx, 'audit', input.format, input.filePath);
      let done = 0;
      try {
        yield { type: 'progress', done, total };
        if (input.format === 'csv') await file.write(Papa.unparse([CSV_COLUMNS]) + '\r\n');
        else await file.write('[\n');
        let cursor: string | null = null;
        do {
          const page = await query({ ...filter, cursor, limit: EXPORT_BATCH });
          if (input.format === 'csv') {
            if (page.items.length > 0) await file.write(Papa.unparse(page.items.map(csvRow)) + '\r\n');
            done += page.items.length;
          } else {
            for (const entry of page.items) {
              await file.write(`${done > 0 ? ',\n' : ''}${JSON.stringify(entry)}`);
              done++;
            }
          }
          cursor = page.nextCursor;
          yield { type: 'progress', done, total };
        } while (cursor);
        if (input.format === 'json') await file.write('\n]\n');
      } finally {
        await file.close();
      }
      yield { type: 'done', filePath: file.path, rows: done };
    },
  };
}

/** Names where people read, ids and codes in their own columns next to them. */
const CSV_COLUMNS = [
  'at',
  'actorName',
  'actorId',
  'device',
  'action',
  'actionCode',
  'entityType',
  'entityTitle',
  'entityId',
  'changes',
  'changesData',
];

function csvRow(entry: TitledAuditEntry): string[] {
  const type = entry.entityType as EntityType;
  // Exports are read in a spreadsheet: times in words use the exporting machine's zone, `at` stays ISO.
  const changes = readableEntryChanges(entry)
    .map((c) => `${c.label}: ${c.from} → ${c.to}`)
    .join('; ');
  return [
    entry.at,
    entry.actor.name,
    entry.actor.id,
    entry.device,
    ACTION_WORDS[entry.action],
    entry.action,
    entities[type].label,
    entry.entityTitle,
    entry.entityId,
    changes,
    JSON.stringify(entry.changes),
  ];
}

/**
 * The index that serves a query newest first: the most selective filter's
 * (field, at, id) index. NOTE: named explicitly, because RxDB's planner may
 * pick an index whose order does not match and sort the whole collection.
 */
function indexFor(input: AuditQuery): string[] {
  if (input.entityId) return ['entityId', 'at', 'id'];
  if (input.actorId) return ['actor.id', 'at', 'id'];
  if (input.action) return ['action', 'at', 'id'];
  if (input.entityType) return ['entityType', 'at', 'id'];
  return ['at', 'id'];
}

function selectorFor(input: AuditQuery): MangoQuerySelector<DocumentData> {
  const selector: DocumentData = {};
  if (input.actorId) selector['actor.id'] = input.actorId;
  if (input.action) selector.action = input.action;
  if (input.entityType) selector.entityType = input.entityType;
  if (input.entityId) selector.entityId = input.entityId;
  const at: DocumentData = {};
  if (input.from) at.$gte = input.from;
  if (input.to) at.$lte = input.to;
  if (input.cursor) {
    const cursor = decodeCursor(input.cursor);
    at.$lte = input.to && input.to < cursor.at ? input.to : cursor.at;
    selector.$or = [{ at: { $lt: cursor.at } }, { at: cursor.at, id: { $lt: cursor.id } }];
  }
  if (Object.keys(at).length > 0) selector.at = at;
  return selector as MangoQuerySelector<DocumentData>;
}

function decodeCursor(raw: string): { at: string; id: string } {
  try {
    const cursor = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as { at: string; id: string };
    if (typeof cursor.at === 'string' && typeof cursor.id === 'string') return cursor;
  } catch {
    // fall through to the error below
  }
  throw new AppError('VALIDATION', 'This audit page cursor is not valid. Load the first page again.', [
    { field: 'cursor', message: 'Stale or foreign cursor.' },
  ]);
}
