import { readFile } from 'node:fs/promises';
import Papa from 'papaparse';
import { ENVELOPE_FIELDS } from '../../shared/entities/envelope';
import { entities, type EntityType } from '../../shared/entities/registry';
import { AppError } from '../../shared/errors';
import { csvColumns, ERROR_COLUMN, fromRecord, type RowFields } from './row-format';

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

/** One row of the file: where it is, what it said (for the bad-rows file) and its fields. */
export interface SourceRow extends RowFields {
  line: number;
  raw: Record<string, unknown>;
}

export interface ParsedFile {
  rows: SourceRow[];
  errors: RowError[];
  /** The file's columns as written (CSV), for the bad-rows file. */
  header: string[];
  /** Columns no field of the type has: listed, then left out of every row. */
  ignoredColumns: string[];
}

export const ENTITIES_FILE_FORMAT = 'curio-entities';

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

export function parseRows(type: EntityType, format: TransferFormat, text: string): ParsedFile {
  if (text.trim() === '') throw new AppError('BAD_FILE', 'The file is empty; there is nothing to import.');
  return format === 'csv' ? parseCsv(type, text) : parseJson(type, text);
}

/** Columns an import reads: the type's columns, the envelope (ignored) and a bad-rows file's error column. */
function knownColumns(type: EntityType): Set<string> {
  return new Set([...csvColumns(type), ...ENVELOPE_FIELDS, ERROR_COLUMN]);
}

function parseCsv(type: EntityType, text: string): ParsedFile {
  const result = Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ''), {
    header: true,
    skipEmptyLines: 'greedy',
  });
  const header = result.meta.fields ?? [];
  const known = knownColumns(type);
  const ignoredColumns = header.filter((column) => !known.has(column));
  if (ignoredColumns.length === header.length) {
    throw new AppError(
      'BAD_FILE',
      `This CSV has no ${entities[type].label.toLowerCase()} columns. Expected a header line with: ${csvColumns(type).join(', ')}.`,
    );
  }
  const errors: RowError[] = [];
  for (const error of result.errors) {
    if (error.row !== undefined) errors.push({ line: error.row + 2, field: '(row)', message: error.message });
  }
  // NOTE: line numbers assume no line breaks inside quoted cells, as spreadsheets write them for these fields.
  const rows = result.data.map((record, index) => {
    const kept: Record<string, unknown> = { ...record };
    for (const column of ignoredColumns) delete kept[column];
    delete kept.__parsed_extra;
    return { line: index + 2, raw: record, ...fromRecord(type, kept, true) };
  });
  return { rows, errors, header, ignoredColumns };
}

function parseJson(type: EntityType, text: string): ParsedFile {
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
  else if (data && typeof data === 'object' && (data as Record<string, unknown>).format === ENTITIES_FILE_FORMAT) {
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
  const known = knownColumns(type);
  const ignored = new Set<string>();
  const errors: RowError[] = [];
  const rows: SourceRow[] = [];
  items.forEach((item, index) => {
    const line = index + 1;
    if (!item || typeof item !== 'object' || Array.isArray(item)) {
      errors.push({ line, field: '(row)', message: 'Each item must be an object of fields.' });
      rows.push({ line, raw: { value: item }, fields: {}, links: {} });
      return;
    }
    const kept: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(item as Record<string, unknown>)) {
      if (known.has(key)) kept[key] = value;
      else ignored.add(key);
    }
    rows.push({ line, raw: item as Record<string, unknown>, ...fromRecord(type, kept, false) });
  });
  return { rows, errors, header: [], ignoredColumns: [...ignored] };
}
