import { entities, type EntityType } from '../../shared/entities/registry';
import { namesakeFactFields, namesakeKey } from '../../shared/readable';
import type { DocumentData } from '../database';
import type { ServiceContext } from './context';
import { allLiveByFoldedValue } from './rules';

/** Another live entry of the same type that holds one of an entry's unique values. */
export interface Namesake {
  id: string;
  /** The unique field they share (`name`). */
  field: string;
  /** Their value, in their own casing ("rex" where the open entry says "Rex"). */
  value: string;
  /** A column of theirs that tells the two apart in words ("Husky"), or '' when there is none. */
  detail: string;
  createdAt: string;
  createdBy: string;
}

/** An entry's unique values, and the other live entries that share one (see findNamesakes). */
export interface Namesakes {
  /** The entry's unique values as stored; empty when it is in the trash or gone. */
  names: { field: string; value: string }[];
  /** Oldest first. */
  others: Namesake[];
}

/**
 * The other live entries of `type` whose unique value (a dog's name) equals entry `id`'s ignoring
 * case, as the uniqueness rule compares. Only a sync makes such pairs: two devices offline each
 * create "Rex" (rules.ts keeps both saveable); the editor says so and asks for a rename.
 * NOTE: one primary-key read and one narrow index lookup per unique field, never a scan of the type.
 * An entry in the trash or deleted permanently has no namesakes: only live entries clash.
 */
export async function findNamesakes(ctx: ServiceContext, type: EntityType, id: string): Promise<Namesakes> {
  const document = (await ctx.database.entities[type].findOne(id).exec())?.toJSON() as DocumentData | undefined;
  if (!document || document.deletedAt !== null) return { names: [], others: [] };
  const names: Namesakes['names'] = [];
  const others: Namesake[] = [];
  for (const field of entities[type].uniqueFields as string[]) {
    const value = document[field];
    if (typeof value !== 'string' || value === '') continue;
    names.push({ field, value });
    const matches = await allLiveByFoldedValue(ctx, type, field, value);
    for (const match of matches) if (match.id !== id) others.push(namesakeOf(type, field, match));
  }
  others.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  return { names, others };
}

/**
 * Whether a written document may change `last` (what findNamesakes answered before): the entry
 * itself, one of its namesakes (renamed, trashed), or an entry that now holds one of its values.
 * A live subscription re-reads only then, so a sync of thousands of other entries costs nothing.
 */
export function mayChangeNamesakes(last: Namesakes, id: string, written: DocumentData): boolean {
  if (written.id === id || last.others.some((other) => other.id === written.id)) return true;
  return last.names.some(({ field, value }) => {
    const theirs = written[field];
    return typeof theirs === 'string' && theirs.toLowerCase() === value.toLowerCase();
  });
}

function namesakeOf(type: EntityType, field: string, document: DocumentData): Namesake {
  const detailField = entities[type].listColumns.map((column) => column.field as string).find((f) => f !== field);
  const detail = detailField ? document[detailField] : undefined;
  return {
    id: String(document.id),
    field,
    value: String(document[field]),
    detail: typeof detail === 'string' || typeof detail === 'number' ? String(detail) : '',
    createdAt: String(document.createdAt),
    createdBy: (document.createdBy as { name?: string } | null)?.name ?? 'someone',
  };
}

/**
 * The hits whose title another hit of their type in the same answer shares, each with the facts a list
 * tells them apart by (shared/readable/namesake-details.ts); the other hits as they are.
 * NOTE: one read by ids per type that has such hits, and none for an answer without namesakes.
 */
export async function withNamesakeFacts<Hit extends { type: EntityType; id: string; title: string }>(
  ctx: ServiceContext,
  hits: Hit[],
): Promise<(Hit & { facts?: Record<string, unknown> })[]> {
  const count = new Map<string, number>();
  const keyOf = (hit: Hit) => namesakeKey(hit.type, hit.title);
  for (const hit of hits) count.set(keyOf(hit), (count.get(keyOf(hit)) ?? 0) + 1);
  const wanted = new Map<EntityType, string[]>();
  for (const hit of hits) {
    if (count.get(keyOf(hit))! > 1) wanted.set(hit.type, [...(wanted.get(hit.type) ?? []), hit.id]);
  }
  if (wanted.size === 0) return hits;
  const facts = new Map<string, Record<string, unknown>>();
  for (const [type, ids] of wanted) {
    const found = await ctx.database.entities[type].findByIds(ids).exec();
    for (const [id, document] of found) {
      const data = document.toJSON() as DocumentData;
      facts.set(id, Object.fromEntries(namesakeFactFields(type).map((field) => [field, data[field] ?? null])));
    }
  }
  return hits.map((hit) => {
    const known = facts.get(hit.id);
    return known ? { ...hit, facts: known } : hit;
  });
}
