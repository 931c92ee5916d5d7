import { documentSchemaOf } from '../../shared/document-schemas';
import { ENTITY_TYPES } from '../../shared/entities/registry';
import { backupText } from '../services/backup-file';
import { openExportFile, type ExportTarget } from '../services/export-file';
import { liveDocuments, ownFields, salvageDatabaseFile, type DatabaseKey } from '../storage';

export interface ReadableExport {
  filePath: string;
  /** Documents written (entries of every type, trash included, plus audit entries). */
  rows: number;
  /** Rows that could not be read, or were read but are not valid documents. */
  skipped: number;
}

/**
 * Everything readable in a damaged catalog file, as a regular backup file
 * (restorable with "Restore from backup"): read row by row, and every row
 * that cannot be read or is not a valid document is skipped and counted.
 */
export async function exportReadable(
  target: ExportTarget,
  catalogFile: string,
  key: DatabaseKey,
): Promise<ReadableExport> {
  const salvaged = new Map(salvageDatabaseFile(catalogFile, key).map((c) => [c.collection, c]));
  let skipped = 0;
  const collections: Record<string, Record<string, unknown>[]> = {};
  for (const name of [...ENTITY_TYPES, 'audit']) {
    const found = salvaged.get(name);
    skipped += found?.skipped ?? 0;
    const schema = documentSchemaOf(name);
    collections[name] = [];
    for (const document of liveDocuments(found).map(ownFields)) {
      if (schema.safeParse(document).success) collections[name].push(document);
      else skipped++;
    }
  }
  const file = await openExportFile(target, 'curio-readable', 'json');
  try {
    await file.write(backupText(collections, target.now()));
  } finally {
    await file.close();
  }
  const rows = Object.values(collections).reduce((sum, documents) => sum + documents.length, 0);
  return { filePath: file.path, rows, skipped };
}
