import Papa from 'papaparse';
import type { ServiceContext } from './context';
import { exportPath, openExportFile } from './export-file';
import { toCells, type Cell } from './row-format';

export const EXPORT_FORMATS = ['csv', 'json', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Rows going to one export file, whatever its format. */
export interface TableWriter {
  path: string;
  write(records: Record<string, Cell>[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens an export file of rows with these columns. CSV and Excel start with a header row and
 * join lists in a cell; JSON writes each row as an object between `jsonHead` and `]}`.
 * NOTE: Excel through ExcelJS's streaming writer, so a large export is never whole in memory.
 * ExcelJS is loaded on the first Excel export: at the top it cost every core ~1 s at start.
 */
export async function openTableWriter(
  ctx: ServiceContext,
  options: {
    stem: string;
    format: ExportFormat;
    columns: string[];
    sheet: string;
    jsonHead: string;
    filePath?: string;
  },
): Promise<TableWriter> {
  const { format, columns } = options;
  if (format === 'xlsx') {
    const path = await exportPath(ctx, options.stem, 'xlsx', options.filePath);
    const { default: ExcelJS } = await import('exceljs');
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useStyles: true });
    const sheet = workbook.addWorksheet(options.sheet, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.addRow(columns).commit();
    return {
      path,
      async write(records) {
        for (const record of records) sheet.addRow(toCells(columns, record)).commit();
      },
      async close() {
        sheet.commit();
        await workbook.commit();
      },
    };
  }
  const file = await openExportFile(ctx, options.stem, format, options.filePath);
  let written = 0;
  await file.write(format === 'csv' ? Papa.unparse([columns]) + '\r\n' : options.jsonHead);
  return {
    path: file.path,
    async write(records) {
      if (records.length === 0) return;
      if (format === 'csv') await file.write(Papa.unparse(records.map((r) => toCells(columns, r))) + '\r\n');
      else {
        await file.write(records.map((r, i) => `${written + i > 0 ? ',\n' : ''}${JSON.stringify(r)}`).join(''));
      }
      written += records.length;
    },
    async close() {
      if (format === 'json') await file.write('\n]}\n');
      await file.close();
    },
  };
}
