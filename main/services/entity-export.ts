import { entities, type EntityType } from '../../shared/entities/registry';
import type { LinkTitles } from '../../shared/readable';
import type { DocumentData } from '../database';
import type { ExportEvent } from './audit';
import type { ServiceContext } from './context';
import { linkedIdsOfDocuments, titlesOf } from './link-titles';
import { listEntities, MAX_PAGE_SIZE, type ListInput } from './list';
import { liveIdsInSql } from './list-sql';
import { csvColumns, exportRecord } from './row-format';
import { ENTITIES_FILE_FORMAT } from './import-rows';
import { openTableWriter, type ExportFormat } from './table-writer';

/** What to export: a list as filtered and sorted on screen, or the selected entries (`ids`). */
export interface EntityExportInput extends Omit<ListInput, 'cursor' | 'limit'> {
  format: ExportFormat;
  /** The selection, in this order; without it, every entry the list's filters keep. */
  ids?: string[];
  filePath?: string;
}

const ID_BATCH = 500;

/**
 * Writes entries of one type to CSV, JSON or Excel, reporting progress. Links are written by
 * title with the ids in their own column next to them; titles are looked up once per page.
 */
export async function* exportEntities(ctx: ServiceContext, input: EntityExportInput): AsyncGenerator<ExportEvent> {
  const { type } = input;
  const columns = csvColumns(type);
  const ids = input.ids ?? (isWholeType(input) ? liveIdsInSql(ctx, type) : await listedIds(ctx, input));
  const total = ids.length;
  const writer = await openTableWriter(ctx, {
    stem: entities[type].pluralLabel.toLowerCase(),
    format: input.format,
    columns,
    sheet: entities[type].pluralLabel,
    jsonHead: `{"format":"${ENTITIES_FILE_FORMAT}","version":2,"type":"${type}","columns":${JSON.stringify(columns)},"items":[\n`,
    filePath: input.filePath,
  });
  const known: LinkTitles = {};
  let done = 0;
  try {
    yield { type: 'progress', done, total };
    for await (const documents of documentsOf(ctx, type, ids)) {
      await lookUpTitles(ctx, type, documents, known);
      await writer.write(documents.map((document) => exportRecord(type, document, known)));
      done += documents.length;
      yield { type: 'progress', done, total };
    }
  } finally {
    await writer.close();
  }
  yield { type: 'done', filePath: writer.path, rows: done };
}

/**
 * The whole live type, unfiltered and in stored order: its ids are read first, in one statement.
 * NOTE: an export is a snapshot of what was asked for: the entries live when it began, the number its
 * progress counts to. Scanned page by page instead, entries a sync added meanwhile were written too and
 * the progress read "10,050 of 10,000"; they are in the next export (see docs/decisions.md).
 */
function isWholeType(input: EntityExportInput): boolean {
  const filtered = Object.keys(input.filters ?? {}).length > 0 || input.sort !== undefined;
  return !filtered && (input.view ?? 'live') === 'live';
}

/**
 * The ids of the list's entries in its order, read in one transaction (writes wait for it; reads do not).
 * NOTE: a list is paged by its sort value, so paging it while the file is written let an entry whose value
 * changed meanwhile (a teammate's rename pulled by the sync) cross the cursor: left out of the file, or
 * written twice. The file holds the entries the list held when the export began, each as it is when written.
 */
function listedIds(ctx: ServiceContext, input: EntityExportInput): Promise<string[]> {
  return ctx.database.transaction(async () => {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await listEntities(ctx, { ...input, cursor, limit: MAX_PAGE_SIZE });
      for (const item of page.items) ids.push(item.id);
      cursor = page.nextCursor;
    } while (cursor);
    return ids;
  });
}

/** The documents of `ids`, page by page, in that order; an entry deleted for good since is left out. */
async function* documentsOf(ctx: ServiceContext, type: EntityType, ids: string[]): AsyncGenerator<DocumentData[]> {
  const collection = ctx.database.entities[type];
  for (let start = 0; start < ids.length; start += ID_BATCH) {
    const batch = ids.slice(start, start + ID_BATCH);
    const found = await collection.storageInstance.findDocumentsById(batch, false);
    const byId = new Map(found.map((document) => [document.id as string, document as DocumentData]));
    yield batch.flatMap((id) => (byId.has(id) ? [withoutRxFields(byId.get(id)!)] : []));
  }
}

/** Adds the titles of the entries a page links to; titles already known are not looked up again. */
async function lookUpTitles(
  ctx: ServiceContext,
  type: EntityType,
  documents: DocumentData[],
  known: LinkTitles,
): Promise<void> {
  const wanted = linkedIdsOfDocuments(type, documents, known);
  if (wanted.size === 0) return;
  const found = await titlesOf(ctx, wanted);
  // Unknown ids are remembered as nameless, so later pages do not look them up again.
  for (const ids of wanted.values()) for (const id of ids) known[id] = found[id] ?? '';
}

function withoutRxFields(document: DocumentData): DocumentData {
  const ours: DocumentData = {};
  for (const key in document) if (!key.startsWith('_')) ours[key] = document[key];
  return ours;
}
