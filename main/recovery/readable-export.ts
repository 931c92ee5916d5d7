import { auditEntrySchema } from '../../shared/audit';
import { ENTITY_TYPES, entities, isEntityType } from '../../shared/entities/registry';
import { BACKUP_FORMAT, BACKUP_VERSION } from '../services/backup-file';
import { openExportFile, type ExportTarget } from '../services/export-file';
import type { DatabaseKey } from '../storage';
import { salvageDatabaseFile, type SalvagedCollection } from '../storage/salvage';

export interface ReadableExport {
  filePath: string;
  /** Documents written (entries of every type, trash included, plus audit entries). */
  rows: number;
  /** Rows that could not be read, or were read but are not valid documents. */
  skipped: number;
}

/** A document as the backup holds it: without RxDB's bookkeeping (`_rev`, `_meta`, ...). */
export function ownFields(document: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(document).filter(([key]) => !key.startsWith('_')));
}

/** Live documents (not RxDB tombstones) of a salvaged collection. */
export function liveDocuments(collection: SalvagedCollection | undefined): Record<string, unknown>[] {
  return (collection?.documents ?? []).filter((document) => document._deleted !== true);
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
    const schema = isEntityType(name) ? entities[name].documentSchema : auditEntrySchema;
    collections[name] = [];
    for (const document of liveDocuments(found).map(ownFields)) {
      if (schema.safeParse(document).success) collections[name].push(document);
      else skipped++;
    }
  }
  const counts = Object.fromEntries(Object.entries(collections).map(([name, docs]) => [name, docs.length]));
  const file = await openExportFile(target, 'curio-readable', 'json');
  try {
    const header = { format: BACKUP_FORMAT, version: BACKUP_VERSION, exportedAt: target.now().toISOString(), counts };
    await file.write(`${JSON.stringify(header).slice(0, -1)},"collections":{`);
    for (const [index, [name, documents]] of Object.entries(collections).entries()) {
      await file.write(`${index > 0 ? ',' : ''}\n${JSON.stringify(name)}:[`);
      await file.write(documents.map((doc, i) => `${i > 0 ? ',' : ''}\n${JSON.stringify(doc)}`).join(''));
      await file.write('\n]');
    }
    await file.write('}}\n');
  } finally {
    await file.close();
  }
  const rows = Object.values(counts).reduce((sum, n) => sum + n, 0);
  return { filePath: file.path, rows, skipped };
}
