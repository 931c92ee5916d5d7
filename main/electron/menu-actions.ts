import { extname } from 'node:path';
import { entities, type EntityType } from '../../shared/entities/registry';
import { counted, countedEntries, oneOrMany, rowErrorLabel } from '../../shared/readable';
import type { FileCommands } from './menu';

type Format = 'csv' | 'json';
type ExportEvent = { type: 'progress'; done: number; total: number } | { type: 'done'; filePath: string; rows: number };

/** The core procedures the menu calls, as the core's caller offers them. */
export interface MenuCore {
  checkImport(
    type: EntityType,
    source: { format: Format; filePath: string },
  ): Promise<{
    rows: number;
    errors: { line: number; field: string; message: string }[];
  }>;
  importEntries(type: EntityType, source: { format: Format; filePath: string }): Promise<{ imported: number }>;
  exportEntries(type: EntityType, format: Format, filePath: string): AsyncIterable<ExportEvent>;
  exportBackup(filePath: string): AsyncIterable<ExportEvent>;
  previewRestore(filePath: string): Promise<{
    token: string;
    counts: { new: number; updated: number; unchanged: number; newerHere: number; absent: number };
  }>;
  /** Restores in the default mode: versions here newer than the file's are kept. */
  restoreBackup(
    filePath: string,
    token: string,
  ): Promise<{
    entities: { inserted: number; updated: number; unchanged: number; keptNewer: number };
    audit: { inserted: number };
  }>;
}

export interface FileFilter {
  name: string;
  extensions: string[];
}

/** Native dialogs, as `main/index.ts` provides them with Electron's `dialog`. */
export interface MenuDialogs {
  openFile(options: { title: string; filters: FileFilter[] }): Promise<string | null>;
  saveFile(options: { title: string; defaultName: string; filters: FileFilter[] }): Promise<string | null>;
  confirm(options: { message: string; detail: string; confirmLabel: string }): Promise<boolean>;
  inform(options: { kind: 'info' | 'error'; message: string; detail?: string }): Promise<void>;
}

const TABLE_FILES: FileFilter[] = [
  { name: 'CSV or JSON', extensions: ['csv', 'json'] },
  { name: 'CSV', extensions: ['csv'] },
  { name: 'JSON', extensions: ['json'] },
];
const BACKUP_FILES: FileFilter[] = [{ name: 'Curio backup', extensions: ['json'] }];
/** A dialog lists this many bad rows; the Import screen shows them all. */
const SHOWN_ROW_ERRORS = 12;

const formatOf = (filePath: string): Format => (extname(filePath).toLowerCase() === '.json' ? 'json' : 'csv');
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function lastEvent(events: AsyncIterable<ExportEvent>): Promise<ExportEvent | null> {
  let last: ExportEvent | null = null;
  for await (const event of events) last = event;
  return last;
}

/**
 * What the import dialog says of a file with bad rows: how many problems, and the first of them by
 * line and field label ("Line 3, Name: Name is required."), as the Import screen names them.
 */
export function importProblems(
  type: EntityType,
  errors: { line: number; field: string; message: string }[],
): { message: string; detail: string } {
  const lines = errors
    .slice(0, SHOWN_ROW_ERRORS)
    .map((e) => `Line ${e.line}, ${rowErrorLabel(type, e.field)}: ${e.message}`);
  const more = errors.length - lines.length;
  return {
    message: `Nothing was imported: ${counted(errors.length, 'problem')} in the file.`,
    detail: [
      ...lines,
      ...(more > 0 ? [`…and ${counted(more, 'more problem')} (File ▸ Import in the app lists them all).`] : []),
    ].join('\n'),
  };
}

/**
 * The File menu's commands: each asks for a file, runs the core procedure and tells the user how
 * it went. An import is checked first and runs only when every row is valid, as in the Import screen.
 */
export function createMenuActions(core: MenuCore, dialogs: MenuDialogs, today = () => new Date()) {
  const guarded =
    <A extends unknown[]>(what: string, run: (...args: A) => Promise<void>) =>
    async (...args: A): Promise<void> => {
      try {
        await run(...args);
      } catch (error) {
        await dialogs.inform({ kind: 'error', message: `${what} failed.`, detail: messageOf(error) });
      }
    };

  const importEntries = guarded('The import', async (type: EntityType) => {
    const plural = entities[type].pluralLabel;
    const filePath = await dialogs.openFile({ title: `Import ${plural}`, filters: TABLE_FILES });
    if (!filePath) return;
    const source = { format: formatOf(filePath), filePath };
    const check = await core.checkImport(type, source);
    if (check.errors.length > 0) {
      await dialogs.inform({ kind: 'error', ...importProblems(type, check.errors) });
      return;
    }
    const confirmed = await dialogs.confirm({
      message: `Import ${countedEntries(type, check.rows)}?`,
      detail: `Every row of ${filePath} is valid. Each entry is added and recorded in the audit.`,
      confirmLabel: 'Import',
    });
    if (!confirmed) return;
    const { imported } = await core.importEntries(type, source);
    await dialogs.inform({ kind: 'info', message: `Imported ${countedEntries(type, imported)}.` });
  });

  const exportEntries = guarded('The export', async (type: EntityType) => {
    const plural = entities[type].pluralLabel;
    const filePath = await dialogs.saveFile({
      title: `Export ${plural}`,
      defaultName: `${plural.toLowerCase()}.csv`,
      filters: TABLE_FILES,
    });
    if (!filePath) return;
    const done = await lastEvent(core.exportEntries(type, formatOf(filePath), filePath));
    const rows = done?.type === 'done' ? done.rows : 0;
    await dialogs.inform({ kind: 'info', message: `Exported ${countedEntries(type, rows)}.`, detail: filePath });
  });

  const backUp = guarded('The backup', async () => {
    const filePath = await dialogs.saveFile({
      title: 'Back Up Catalog',
      defaultName: `curio-backup-${today().toISOString().slice(0, 10)}.json`,
      filters: BACKUP_FILES,
    });
    if (!filePath) return;
    const done = await lastEvent(core.exportBackup(filePath));
    const rows = done?.type === 'done' ? done.rows : 0;
    await dialogs.inform({
      kind: 'info',
      message: 'The catalog and its audit are backed up.',
      detail: `${counted(rows, 'record')} in ${filePath}`,
    });
  });

  const restoreBackup = guarded('The restore', async () => {
    const filePath = await dialogs.openFile({ title: 'Restore from Backup', filters: BACKUP_FILES });
    if (!filePath) return;
    const preview = await core.previewRestore(filePath);
    const { counts } = preview;
    const confirmed = await dialogs.confirm({
      message: 'Restore this backup?',
      detail:
        `${counts.new} new, ${counts.updated} updated, ${counts.unchanged} unchanged. ` +
        `${counted(counts.newerHere, 'entry is', 'entries are')} newer here than in the file and ${oneOrMany(counts.newerHere, 'stays as it is', 'stay as they are')}; ` +
        `${counted(counts.absent, 'entry', 'entries')} here ${oneOrMany(counts.absent, 'is', 'are')} not in the file and ${oneOrMany(counts.absent, 'stays', 'stay')} too. ` +
        'A safety snapshot is taken first (Settings lists it); to make the catalog exactly the backup, restore it from the Transfer screen.',
      confirmLabel: 'Restore',
    });
    if (!confirmed) return;
    const result = await core.restoreBackup(filePath, preview.token);
    const { inserted, updated, unchanged, keptNewer } = result.entities;
    await dialogs.inform({
      kind: 'info',
      message: 'The backup is restored.',
      detail: `${counted(inserted, 'entry', 'entries')} added, ${updated} updated, ${unchanged} unchanged, ${keptNewer} kept because newer here; ${counted(result.audit.inserted, 'audit entry', 'audit entries')} added.`,
    });
  });

  return { importEntries, exportEntries, backUp, restoreBackup } satisfies {
    [K in keyof FileCommands]: (...args: Parameters<FileCommands[K]>) => Promise<void>;
  };
}
