import Papa from 'papaparse';
import { entities, titleOf, type EntityType } from '../../shared/entities/registry';
import { AppError, type FieldError } from '../../shared/errors';
import { counted, oneOrMany, rowErrorLabel, type LinkTitles } from '../../shared/readable';
import { toFieldErrors } from '../../shared/validation';
import type { DocumentData } from '../database';
import type { ExportEvent } from './audit';
import type { ServiceContext } from './context';
import { exportEntities, type EntityExportInput } from './entity-export';
import { importColumns, importTemplate } from './import-template';
import { parseRows, readSource, type ImportSource, type RowError, type SourceRow } from './import-rows';
import { resolveLinks } from './link-names';
import { linkedIdsOfDocuments, titlesOf } from './link-titles';
import { requirePermission } from './permissions';
import { withProgress, type Progress } from './progress-stream';
import { ERROR_COLUMN } from './row-format';
import { crossDocumentErrors } from './rules';
import type { SnapshotInfo, SnapshotService } from './snapshots';
import { insertEntity, runWrite } from './writes';

export type { ImportSource, RowError, TransferFormat } from './import-rows';

export interface ImportCheck {
  rows: number;
  /** Rows that would be imported as they are. */
  goodRows: number;
  errors: RowError[];
  /** Columns no field of the type has: left out of the import, with a warning each. */
  ignoredColumns: string[];
  warnings: string[];
  /** The first good rows as they would be stored, for a preview table. */
  preview: DocumentData[];
  /** Titles of the entries the preview links to, so it shows names. */
  titles: LinkTitles;
}

export interface ImportResult {
  imported: number;
  /** Bad rows left out (only when the caller asked to skip them). */
  skipped: number;
  snapshot: SnapshotInfo | null;
}

const PREVIEW_ROWS = 20;
const PROGRESS_EVERY = 50;
/** Ids looked up at once when rows name entries by id. */
const ID_BATCH = 500;

interface GoodRow {
  line: number;
  fields: DocumentData;
}

export type TransferService = ReturnType<typeof createTransferService>;

/** Export and import of one entity type: what editors exchange with spreadsheets. */
export function createTransferService(ctx: ServiceContext, snapshots: SnapshotService) {
  /** Validates every row: its links by name or id, the schema, the live catalog and the other rows. */
  async function check(type: EntityType, source: ImportSource) {
    const file = parseRows(type, source.format, await readSource(source));
    const descriptor = entities[type];
    const errors = [...file.errors];
    const unreadable = new Set(errors.map((e) => e.line));
    const links = await resolveLinks(
      ctx,
      type,
      file.rows.map((row) => row.links),
    );
    const here = await entriesHereByRowId(ctx, type, file.rows);
    const good: GoodRow[] = [];
    const claimed = new Map<string, number>();
    for (const [index, row] of file.rows.entries()) {
      if (unreadable.has(row.line)) continue;
      const resolved = links[index]!;
      const rowErrors: FieldError[] = [...resolved.errors];
      const same = here.get(rowIdOf(row));
      if (same) rowErrors.push(alreadyHereError(type, same));
      const parsed = descriptor.fieldsSchema.safeParse({ ...row.fields, ...resolved.values });
      if (!parsed.success) rowErrors.push(...toFieldErrors(parsed.error));
      else if (rowErrors.length === 0) {
        const data = parsed.data as DocumentData;
        rowErrors.push(...(await crossDocumentErrors(ctx, type, data)));
        for (const field of descriptor.uniqueFields as string[]) {
          const key = `${field}:${String(data[field]).toLowerCase()}`;
          const first = claimed.get(key);
          if (first !== undefined)
            rowErrors.push({
              field,
              message: `"${String(data[field])}" is already used on line ${first} of this file.`,
            });
          else claimed.set(key, row.line);
        }
        if (rowErrors.length === 0) good.push({ line: row.line, fields: data });
      }
      for (const e of rowErrors) errors.push({ line: row.line, ...e });
    }
    errors.sort((a, b) => a.line - b.line);
    const preview = good.slice(0, PREVIEW_ROWS).map((r) => r.fields);
    const summary: ImportCheck = {
      rows: file.rows.length,
      goodRows: good.length,
      errors,
      ignoredColumns: file.ignoredColumns,
      warnings: file.ignoredColumns.map(
        (column) =>
          `Column "${column}" is not a ${descriptor.label.toLowerCase()} field and is ignored. ${descriptor.pluralLabel} have: ${importColumns(type).join(', ')}.`,
      ),
      preview,
      titles: await titlesOf(ctx, linkedIdsOfDocuments(type, preview)),
    };
    return { summary, good, file };
  }

  return {
    async validate(type: EntityType, source: ImportSource): Promise<ImportCheck> {
      return (await check(type, source)).summary;
    },

    /**
     * Imports the good rows as new entries, each audited as `import`, reporting progress. Any bad
     * row refuses the whole file unless `skipBadRows`. NOTE: rows never replace an entry (ids in
     * the file are ignored), so no newer version is overwritten; a safety snapshot is still taken
     * first, as a many-entry change.
     */
    async *importRows(
      type: EntityType,
      source: ImportSource,
      options: { skipBadRows?: boolean } = {},
    ): AsyncGenerator<Progress, ImportResult> {
      requirePermission(ctx, 'importEntries');
      return yield* withProgress((report) =>
        runWrite(ctx, async () => {
          const { summary, good } = await check(type, source);
          const skipped = summary.rows - good.length;
          if (summary.errors.length > 0 && !options.skipBadRows) throw importError(type, summary);
          if (good.length === 0 && summary.rows > 0) throw importError(type, summary);
          if (good.length === 0) return { imported: 0, skipped, snapshot: null };
          const snapshot = await snapshots.take('before-import');
          report({ done: 0, total: good.length });
          for (const [index, row] of good.entries()) {
            await insertEntity(ctx, type, row.fields, 'import');
            if ((index + 1) % PROGRESS_EVERY === 0) report({ done: index + 1, total: good.length });
          }
          report({ done: good.length, total: good.length });
          return { imported: good.length, skipped, snapshot };
        }),
      );
    },

    /**
     * The bad rows of a file as they were written, with an `error` column saying what to fix:
     * CSV for a CSV file, a JSON list for a JSON file. Fixed, it imports as it is.
     */
    async badRows(
      type: EntityType,
      source: ImportSource,
    ): Promise<{ fileName: string; content: string; rows: number }> {
      const { summary, file } = await check(type, source);
      const problems = new Map<number, string[]>();
      for (const e of summary.errors)
        problems.set(e.line, [...(problems.get(e.line) ?? []), `${rowErrorLabel(type, e.field)}: ${e.message}`]);
      const bad = file.rows.filter((row) => problems.has(row.line));
      const stem = `${entities[type].pluralLabel.toLowerCase()}-bad-rows`;
      const withError = (row: (typeof bad)[number]) => ({
        ...row.raw,
        [ERROR_COLUMN]: problems.get(row.line)!.join(' '),
      });
      if (source.format === 'json') {
        return {
          fileName: `${stem}.json`,
          content: JSON.stringify(bad.map(withError), null, 2) + '\n',
          rows: bad.length,
        };
      }
      const fields = [...file.header.filter((column) => column !== ERROR_COLUMN), ERROR_COLUMN];
      return {
        fileName: `${stem}.csv`,
        content: Papa.unparse({ fields, data: bad.map(withError) }) + '\r\n',
        rows: bad.length,
      };
    },

    /** A starting CSV for a type (header and one example row) and the rules of every column. */
    template: importTemplate,

    /** Writes the entries of a list (filtered, sorted) or a selection to CSV, JSON or Excel, with progress. */
    export(input: EntityExportInput): AsyncGenerator<ExportEvent> {
      return exportEntities(ctx, input);
    },
  };
}

/** The id a row names (the `id` column or key an export writes), or '' for none. */
function rowIdOf(row: SourceRow): string {
  const id = row.raw.id;
  return typeof id === 'string' ? id.trim() : '';
}

/** The entries of `type` here that rows of the file name by id (tombstones left out), by id. */
async function entriesHereByRowId(
  ctx: ServiceContext,
  type: EntityType,
  rows: SourceRow[],
): Promise<Map<string, DocumentData>> {
  const ids = [...new Set(rows.map(rowIdOf).filter((id) => id !== ''))];
  const found = new Map<string, DocumentData>();
  for (let start = 0; start < ids.length; start += ID_BATCH) {
    const batch = ids.slice(start, start + ID_BATCH);
    for (const document of await ctx.database.entities[type].storageInstance.findDocumentsById(batch, false))
      found.set(document.id as string, document as DocumentData);
  }
  return found;
}

/**
 * A row that is an entry already here (an exported file brought back): an import only adds entries, so
 * importing it would make a second copy beside the one it came from, and a change typed into the file would
 * not reach the entry. NOTE: one error for the row, so a unique name is not also reported as taken by itself.
 */
function alreadyHereError(type: EntityType, document: DocumentData): FieldError {
  const label = entities[type].label.toLowerCase();
  const title = titleOf(type, document) || '(untitled)';
  const inTrash = document.deletedAt !== null;
  return {
    field: '(row)',
    message:
      `This row is the ${label} "${title}", ${inTrash ? 'which is here in the trash' : 'already here'} (its id is in the id column). ` +
      `An import only adds new ${entities[type].pluralLabel.toLowerCase()}; it does not change existing ones, ` +
      `so this row would add a second "${title}". To change "${title}", ${inTrash ? 'restore it from the Trash and edit it' : 'edit it in the library'}; ` +
      `to add the row as a new ${label}, clear its id.`,
  };
}

/** The all-or-nothing import's refusal: how many rows are bad, and the first problems by line and field label. */
function importError(type: EntityType, result: ImportCheck): AppError {
  const badLines = new Set(result.errors.map((e) => e.line)).size;
  const details = result.errors
    .slice(0, 10)
    .map((e) => `Line ${e.line}, ${rowErrorLabel(type, e.field)}: ${e.message}`)
    .join(' ');
  const more = result.errors.length > 10 ? ` …and ${counted(result.errors.length - 10, 'more problem')}.` : '';
  return new AppError(
    'VALIDATION',
    `${badLines.toLocaleString()} of ${counted(result.rows, 'row')} ${oneOrMany(badLines, 'is', 'are')} not valid; nothing was imported. Fix ${oneOrMany(badLines, 'it', 'them')}, or import only the good rows, and try again. ${details}${more}`,
    result.errors.slice(0, 1000).map((e) => ({ field: `line ${e.line}: ${e.field}`, message: e.message })),
  );
}
