import { entities, ENTITY_TYPES, type EntityType } from '../../shared/entities/registry';
import type { DocumentData } from '../database';
import { quoteIdentifier, type SqliteInternals } from '../storage';
import type { ServiceContext } from './context';
import { ensureTableIndexes } from './table-indexes';

/**
 * The names looked up ignoring case: each unique name (rules.ts, namesakes.ts) and the title of each type
 * other entries link to (an import names its links by title, link-names.ts). Each has an expression index
 * of its own on the entity table, so a lookup reads the few entries of that name, never every entry whose
 * name starts alike (docs/decisions.md, "Names looked up ignoring case through an index").
 */
export function foldedNameFields(type: EntityType): string[] {
  const linkedTo = ENTITY_TYPES.some((other) => entities[other].references.some((ref) => ref.target === type));
  const fields = new Set<string>(entities[type].uniqueFields as string[]);
  if (linkedTo) fields.add(entities[type].titleField);
  return [...fields];
}

/** The indexed expression: SQLite's lower() folds A-Z only; the rest is compared in JavaScript (liveByFoldedName). */
const foldedSql = (field: string) => `lower(json_extract(data, '$.${field}'))`;
/** What SQLite's lower() makes of a text. */
const sqlLower = (text: string) => text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());

/** Builds the name indexes of every type that has names looked up (a no-op once they exist). */
export async function prepareFoldedNameIndexes(ctx: ServiceContext): Promise<void> {
  for (const type of ENTITY_TYPES) {
    if (foldedNameFields(type).length > 0) await ensureIndexes(ctx, type);
  }
}

/**
 * The live entries of `type` whose `field` equals `value` ignoring case (JavaScript's toLowerCase on both).
 * NOTE: the index holds SQLite's lower(), which folds only A-Z: a name whose first cased letter outside
 * A-Z is at position i reads the entries between that letter's case forms after the first i characters
 * (a narrow range), and every candidate is compared in full here.
 */
export async function liveByFoldedName(
  ctx: ServiceContext,
  type: EntityType,
  field: string,
  value: string,
): Promise<DocumentData[]> {
  if (!foldedNameFields(type).includes(field)) {
    throw new Error(`${type}.${field} has no index for lookups ignoring case; add it to foldedNameFields.`);
  }
  const { file, table } = await ensureIndexes(ctx, type);
  const key = keyRange(value);
  const ids = file
    .readConnection()
    .prepare(
      `SELECT id FROM ${quoteIdentifier(table.name)}
       WHERE deleted = 0 AND ${foldedSql(field)} >= ? AND ${foldedSql(field)} < ? ORDER BY id`,
    )
    .pluck()
    .all(key.from, key.below) as string[];
  if (ids.length === 0) return [];
  const folded = value.toLowerCase();
  const found = await ctx.database.entities[type].storageInstance.findDocumentsById(ids, false);
  const byId = new Map(found.map((document) => [document.id as string, document as DocumentData]));
  return ids.flatMap((id) => {
    const document = byId.get(id);
    const matches = document?.deletedAt === null && String(document[field]).toLowerCase() === folded;
    return matches ? [document] : [];
  });
}

/**
 * The range of indexed keys (`from` included, `below` excluded) that holds every name equal to `value`
 * ignoring case: one key when all its cased letters are A-Z; otherwise the keys that start with what
 * lower() makes of the text before the first other cased letter, followed by one of that letter's forms.
 */
function keyRange(value: string): { from: string; below: string } {
  for (let i = 0; i < value.length; i++) {
    const char = value[i]!;
    if (char < '\u0080') continue;
    const forms = [char, char.toLowerCase(), char.toUpperCase()].filter((form) => form.length === 1);
    if (forms.every((form) => form === char)) continue;
    const head = sqlLower(value.slice(0, i));
    const codes = forms.map((form) => form.charCodeAt(0));
    return {
      from: head + String.fromCharCode(Math.min(...codes)),
      below: head + String.fromCharCode(Math.max(...codes) + 1),
    };
  }
  const key = sqlLower(value);
  return { from: key, below: `${key}\u0000` };
}

async function ensureIndexes(ctx: ServiceContext, type: EntityType): Promise<SqliteInternals> {
  const internals = ctx.database.entities[type].storageInstance.internals as SqliteInternals;
  const tableName = internals.table.name;
  await ensureTableIndexes(
    internals.file,
    tableName,
    foldedNameFields(type).map((field) => ({ name: `${tableName}__${field}_folded`, on: foldedSql(field) })),
  );
  return internals;
}
