import { foldedNameKey, foldedNameString } from '../../shared/entities/folded-names';
import type { EntityType } from '../../shared/entities/registry';
import type { DocumentData } from '../database';
import { quoteIdentifier, type SqliteInternals } from '../storage';
import type { ServiceContext } from './context';

/**
 * The live entries of `type` whose `field` equals `value` ignoring case (JavaScript's toLowerCase on both),
 * in id order: one key of the field's name column, which the storage keeps (shared/entities/folded-names.ts),
 * so a lookup reads the entries of that name, never every entry whose name starts alike.
 */
export async function liveByFoldedName(
  ctx: ServiceContext,
  type: EntityType,
  field: string,
  value: string,
): Promise<DocumentData[]> {
  const { file, table } = ctx.database.entities[type].storageInstance.internals as SqliteInternals;
  const column = table.columnFor([foldedNameKey(field)]);
  if (!column) {
    throw new Error(`${type}.${field} has no column for lookups ignoring case; add it to foldedNameFields.`);
  }
  const ids = file
    .readConnection()
    .prepare(`SELECT id FROM ${quoteIdentifier(table.name)} WHERE ${column} = ? AND deleted = 0 ORDER BY id`)
    .pluck()
    .all(foldedNameString(value)) as string[];
  if (ids.length === 0) return [];
  // The column was written with the row: the documents say the same, read here as every service reads them.
  const found = await ctx.database.entities[type].storageInstance.findDocumentsById(ids, false);
  const byId = new Map(found.map((document) => [document.id as string, document as DocumentData]));
  const folded = value.toLowerCase();
  return ids.flatMap((id) => {
    const document = byId.get(id);
    const matches = document?.deletedAt === null && String(document[field]).toLowerCase() === folded;
    return matches ? [document] : [];
  });
}
