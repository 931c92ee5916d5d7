import { entities, type EntityType } from '../../shared/entities/registry';
import type { LinkTitles } from '../../shared/readable';
import { IN_TRASH, LIVE, type DocumentData } from '../database';
import type { ExportEvent } from './audit';
import type { ServiceContext } from './context';
import { linkedIdsOfDocuments, titlesOf } from './link-titles';
import { listEntities, MAX_PAGE_SIZE, type ListInput } from './list';
import { filterSelector } from './list-filters';
import { csvColumns, exportRecord } from './row-format';
import { scanEntities } from './scan';
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
  const total = await totalOf(ctx, input);
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
    for await (const documents of pagesOf(ctx, input)) {
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

/** The documents to export, page by page, in the list's order (or the selection's). */
async function* pagesOf(ctx: ServiceContext, input: EntityExportInput): AsyncGenerator<DocumentData[]> {
  const collection = ctx.database.entities[input.type];
  if (input.ids) {
    for (let start = 0; start < input.ids.length; start += ID_BATCH) {
      const ids = input.ids.slice(start, start + ID_BATCH);
      const found = await collection.storageInstance.findDocumentsById(ids, false);
      const byId = new Map(found.map((document) => [document.id as string, document as DocumentData]));
      yield ids.flatMap((id) => (byId.has(id) ? [withoutRxFields(byId.get(id)!)] : []));
    }
    return;
  }
  const filtered = Object.keys(input.filters ?? {}).length > 0 || input.sort !== undefined;
  if (!filtered && (input.view ?? 'live') === 'live') {
    // The whole type: one ordered scan of the storage, past RxDB's caches.
    yield* scanEntities(collection, { includeTrash: false });
    return;
  }
  let cursor: string | null = null;
  do {
    const page = await listEntities(ctx, { ...input, cursor, limit: MAX_PAGE_SIZE });
    yield page.items as DocumentData[];
    cursor = page.nextCursor;
  } while (cursor);
}

/** How many rows the export will have, for its progress bar. */
async function totalOf(ctx: ServiceContext, input: EntityExportInput): Promise<number> {
  if (input.ids) return input.ids.length;
  const view = input.view ?? 'live';
  const trash = view === 'live' ? LIVE : view === 'trash' ? IN_TRASH : {};
  const selector = { ...trash, ...filterSelector(input.type, input.filters ?? {}) };
  return ctx.database.entities[input.type].count({ selector }).exec();
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
