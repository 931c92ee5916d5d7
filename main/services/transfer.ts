import { readFile } from 'node:fs/promises';
import Papa from 'papaparse';
import { entities, type EntityType } from '../../shared/entities/registry';
import { AppError } from '../../shared/errors';
import { toFieldErrors } from '../../shared/validation';
import { LIVE, type DocumentData } from '../database';
import type { ExportEvent } from './audit';
import type { ServiceContext } from './context';
import { openExportFile } from './export-file';
import { requirePermission } from './permissions';
import { scanEntities } from './scan';
import { crossDocumentErrors } from './rules';
import type { SnapshotInfo, SnapshotService } from './snapshots';
import { csvColumns, fieldKinds, fromCsvRecord, fromJsonItem, toCsvCells } from './row-format';
import { insertEntity, runWrite } from './writes';

export type TransferFormat = 'csv' | 'json';

/** Where rows come from: the text itself (browser) or a file the main process can read (menu). */
export interface ImportSource {
  format: TransferFormat;
  content?: string;
  filePath?: string;
}

/** A bad row: `line` is the file line for CSV (header = line 1) and the item number for JSON. */
export interface RowError {
  line: number;
  field: string;
  message: string;
}

export interface ImportCheck {
  rows: number;
  errors: RowError[];
  /** The first rows as they would be stored, for a preview table. */
  preview: DocumentData[];
}

export const ENTITIES_FILE_FORMAT = 'curio-entities';
const PREVIEW_ROWS = 20;

interface ParsedRow {
  line: number;
  fields: DocumentData;
}

export type TransferService = ReturnType<typeof createTransferService>;

/** Export and import of one entity type as CSV or JSON: what editors exchange with spreadsheets. */
export function createTransferService(ctx: ServiceContext, snapshots: SnapshotService) {
  /** Validates every row against the schema, the live catalog and the other rows. */
  async function check(type: EntityType, source: ImportSource): Promise<ImportCheck & { valid: ParsedRow[] }> {
    const { rows, errors } = parseRows(type, source.format, await readSource(source));
    const descriptor = entities[type];
    const valid: ParsedRow[] = [];
    const claimed = new Map<string, number>();
    for (const row of rows) {
      const parsed = descriptor.fieldsSchema.safeParse(row.fields);
      if (!parsed.success) {
        for (const e of toFieldErrors(parsed.error)) errors.push({ line: row.line, ...e });
        continue;
      }
      const data = parsed.data as DocumentData;
      const rowErrors = await crossDocumentErrors(ctx, type, data);
      for (const field of descriptor.uniqueFields as string[]) {
        const key = `${field}:${String(data[field]).toLowerCase()}`;
        const first = claimed.get(key);
        if (first !== undefined)
          rowErrors.push({ field, message: `"${String(data[field])}" is already used on line ${first} of this file.` });
        else claimed.set(key, row.line);
      }
      for (const e of rowErrors) errors.push({ line: row.line, ...e });
      if (rowErrors.length === 0) valid.push({ line: row.line, fields: data });
    }
    errors.sort((a, b) => a.line - b.line);
    return { rows: rows.length, errors, preview: valid.slice(0, PREVIEW_ROWS).map((r) => r.fields), valid };
  }

  return {
    async validate(type: EntityType, source: ImportSource): Promise<ImportCheck> {
      const { valid: _valid, ...result } = await check(type, source);
      return result;
    },

    /**
     * Imports every row as a new entry, each audited as `import`, or nothing
     * at all if any row is bad. NOTE: rows never replace an entry here (ids
     * in the file are ignored), so no newer version can be overwritten; a
     * safety snapshot is still taken first, as a many-entry change.
     */
    async import(type: EntityType, source: ImportSource): Promise<{ imported: number; snapshot: SnapshotInfo }> {
      requirePermission(ctx, 'importEntries');
      return runWrite(ctx, async () => {
        const result = await check(type, source);
        if (result.errors.length > 0) throw importError(result);
        const snapshot = await snapshots.take('before-import');
        for (const row of result.valid) await insertEntity(ctx, type, row.fields, 'import');
        return { imported: result.valid.length, snapshot };
      });
    },

    /** Writes the live entries of one type to a file, oldest first, reporting progress. */
    async *export(type: EntityType, format: TransferFormat, filePath?: string): AsyncGenerator<ExportEvent> {
      const collection = ctx.database.entities[type];
      const total = await collection.count({ selector: LIVE }).exec();
      const file = await openExportFile(ctx, entities[type].pluralLabel.toLowerCase(), format, filePath);
      const kinds = fieldKinds(type);
      let done = 0;
      try {
        yield { type: 'progress', done, total };
        await file.write(
          format === 'csv'
            ? Papa.unparse([csvColumns(type)]) + '\r\n'
            : `{"format":"${ENTITIES_FILE_FORMAT}","version":1,"type":"${type}","items":[\n`,
        );
        for await (const documents of scanEntities(collection, { includeTrash: false })) {
          if (format === 'csv') {
            await file.write(Papa.unparse(documents.map((d) => toCsvCells(type, d, kinds))) + '\r\n');
          } else {
            await file.write(documents.map((d, i) => `${done + i > 0 ? ',\n' : ''}${JSON.stringify(d)}`).join(''));
          }
          done += documents.length;
          yield { type: 'progress', done, total };
        }
        if (format === 'json') await file.write('\n]}\n');
      } finally {
        await file.close();
      }
      yield { type: 'done', filePath: file.path, rows: done };
    },
  };
}

export async function readSource(source: { content?: string; filePath?: string }): Promise<string> {
  if (source.content !== undefined) return source.content;
  if (source.filePath === undefined) {
    throw new AppError('VALIDATION', 'Give the file content or a file path to import from.', [
      { field: 'content', message: 'Nothing to import.' },
    ]);
  }
  try {
    return await readFile(source.filePath, 'utf8');
  } catch (error) {
    throw new AppError(
      'BAD_FILE',
      `Cannot read ${source.filePath}: ${(error as Error).message}. Check the path and try again.`,
    );
  }
}

function parseRows(type: EntityType, format: TransferFormat, text: string): { rows: ParsedRow[]; errors: RowError[] } {
  if (text.trim() === '') throw new AppError('BAD_FILE', 'The file is empty; there is nothing to import.');
  return format === 'csv' ? parseCsv(type, text) : parseJson(type, text);
}

function parseCsv(type: EntityType, text: string) {
  const kinds = fieldKinds(type);
  const result = Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ''), {
    header: true,
    skipEmptyLines: 'greedy',
  });
  const errors: RowError[] = [];
  const known = new Set(
    csvColumns(type).concat(['rev', 'createdAt', 'createdBy', 'updatedAt', 'updatedBy', 'deletedAt', 'deletedBy']),
  );
  const unknown = (result.meta.fields ?? []).filter((column) => !known.has(column));
  for (const column of unknown) {
    errors.push({
      line: 1,
      field: column,
      message: `Unknown column "${column}". ${entities[type].pluralLabel} have: ${csvColumns(type).join(', ')}.`,
    });
  }
  if (unknown.length === (result.meta.fields ?? []).length) {
    throw new AppError(
      'BAD_FILE',
      `This CSV has no ${entities[type].label.toLowerCase()} columns. Expected a header line with: ${csvColumns(type).join(', ')}.`,
    );
  }
  for (const error of result.errors) {
    if (error.row !== undefined) errors.push({ line: error.row + 2, field: '(row)', message: error.message });
  }
  // NOTE: line numbers assume no line breaks inside quoted cells, as spreadsheets write them for these fields.
  const rows = result.data.map((record, index) => ({
    line: index + 2,
    fields: fromCsvRecord(withoutUnknown(record, unknown), kinds),
  }));
  return { rows, errors };
}

function withoutUnknown(record: Record<string, string>, unknown: string[]): Record<string, string> {
  const copy = { ...record };
  for (const column of unknown) delete copy[column];
  delete (copy as Record<string, unknown>).__parsed_extra;
  return copy;
}

function parseJson(type: EntityType, text: string) {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new AppError(
      'BAD_FILE',
      `This is not a JSON file (${(error as Error).message}). Export JSON from Curio or fix the file.`,
    );
  }
  let items: unknown;
  if (Array.isArray(data)) items = data;
  else if (data && typeof data === 'object' && (data as DocumentData).format === ENTITIES_FILE_FORMAT) {
    const file = data as { type?: unknown; items?: unknown };
    if (file.type !== type) {
      throw new AppError(
        'BAD_FILE',
        `This file holds ${String(file.type)} entries, not ${entities[type].pluralLabel.toLowerCase()}. Import it as ${String(file.type)}.`,
      );
    }
    items = file.items;
  }
  if (!Array.isArray(items)) {
    throw new AppError(
      'BAD_FILE',
      `Expected a list of ${entities[type].pluralLabel.toLowerCase()} (a JSON array or a Curio export).`,
    );
  }
  const errors: RowError[] = [];
  const rows: ParsedRow[] = [];
  items.forEach((item, index) => {
    if (item && typeof item === 'object' && !Array.isArray(item))
      rows.push({ line: index + 1, fields: fromJsonItem(item as DocumentData) });
    else errors.push({ line: index + 1, field: '(row)', message: 'Each item must be an object of fields.' });
  });
  return { rows, errors };
}

function importError(result: ImportCheck): AppError {
  const badLines = new Set(result.errors.map((e) => e.line)).size;
  const details = result.errors
    .slice(0, 10)
    .map((e) => `Line ${e.line}, ${e.field}: ${e.message}`)
    .join(' ');
  const more = result.errors.length > 10 ? ` …and ${result.errors.length - 10} more.` : '';
  return new AppError(
    'VALIDATION',
    `${badLines} of ${result.rows} rows are not valid; nothing was imported. Fix them and import again. ${details}${more}`,
    result.errors.slice(0, 1000).map((e) => ({ field: `line ${e.line}: ${e.field}`, message: e.message })),
  );
}
