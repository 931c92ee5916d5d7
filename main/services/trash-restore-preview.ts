import type { Actor } from '../../shared/entities/envelope';
import { foldedNameFields } from '../../shared/entities/folded-names';
import { entities, titleOf, type EntityType } from '../../shared/entities/registry';
import type { FieldError } from '../../shared/errors';
import { fieldLabel, namesakeFactFields, namesakeKey } from '../../shared/readable';
import type { DocumentData } from '../database';
import type { ServiceContext } from './context';
import { loadDocument } from './entities';
import { allLiveByFoldedValue, findLiveByFoldedValue, validationError } from './rules';
import type { SearchIndex } from './search-index';

type Ref = { type: EntityType; id: string };

/** An entry of the same type that reads alike: its name and the facts a list tells namesakes apart by. */
export interface RestoreNamesake {
  id: string;
  title: string;
  facts: Record<string, unknown>;
}

/** What restoring one entry from the trash does, for the question asked before `trash.restore`. */
export interface RestorePreviewEntry {
  type: EntityType;
  id: string;
  title: string;
  /** The version shown; the restore names it, so one changed since is refused, not brought back unseen. */
  rev: string;
  /** When and by whom it was moved to the trash; `deletedAt` null: it is no longer there. */
  deletedAt: string | null;
  deletedBy: Actor | null;
  /** Out of the trash already (someone restored it meanwhile): who wrote it last. */
  restoredBy: Actor | null;
  /** Why it cannot come back as it is (a live entry holds its unique name); the restore would be refused. */
  refusal: string | null;
  /** Its own facts (namesakeFactFields), so a namesake can be told from it. */
  facts: Record<string, unknown>;
  /** Live entries of its type with the same name: once it is back, two entries read alike. */
  namesakes: RestoreNamesake[];
  /** Entries it links to that stay in the trash (not restored along): the links keep showing "in trash". */
  linksInTrash: { type: EntityType; id: string; title: string; field: string }[];
}

/**
 * What `trash.restore(items)` would do, entry by entry: who trashed each and when, which cannot come back
 * (a live entry took its unique name), which will share a name with a live entry, and which of its links
 * point at entries that stay in the trash. Writes nothing.
 * NOTE: the namesakes of the whole selection are looked up together (`liveNamesakes`): a title without an
 * index of its own (a video's, folded-names.ts) in one query of the search index for all of them, rather
 * than a search per entry or a scan of the type.
 */
export async function previewRestore(
  ctx: ServiceContext,
  search: SearchIndex,
  items: Ref[],
): Promise<{ entries: RestorePreviewEntry[] }> {
  const batch = [...new Map(items.map((item) => [item.id, item])).values()];
  const loaded = await Promise.all(
    batch.map(async (item) => ({
      ...item,
      data: (await loadDocument(ctx, item.type, item.id)).toJSON() as DocumentData,
    })),
  );
  const inTrash = loaded.filter(({ data }) => data.deletedAt !== null);
  const refusals = await nameRefusals(ctx, inTrash);
  // Links to entries coming back along are live again; one that cannot come back stays in the trash.
  const comingBack = new Set(inTrash.filter(({ id }) => !refusals.has(id)).map(({ id }) => id));
  const namesakes = await liveNamesakes(
    ctx,
    search,
    inTrash
      .filter(({ id }) => comingBack.has(id))
      .map(({ type, id, data }) => ({ type, id, title: titleOf(type, data) })),
  );
  const entries: RestorePreviewEntry[] = [];
  for (const { type, id, data } of loaded) {
    const title = titleOf(type, data);
    const trashed = data.deletedAt !== null;
    entries.push({
      type,
      id,
      title,
      rev: String(data.rev),
      deletedAt: trashed ? String(data.deletedAt) : null,
      deletedBy: trashed ? ((data.deletedBy as Actor | null) ?? null) : null,
      restoredBy: trashed ? null : ((data.updatedBy as Actor | null) ?? null),
      refusal: refusals.get(id)?.message ?? null,
      facts: factsOf(type, data),
      namesakes: namesakes.get(id) ?? [],
      linksInTrash: trashed ? await linksStayingInTrash(ctx, type, data, comingBack) : [],
    });
  }
  return { entries };
}

/**
 * Per entry about to be restored, the unique name it cannot take back: a live entry holds it now, or an
 * earlier entry of the same restore claims it. Keyed by entry id; the field error says it in words.
 */
export async function nameRefusals(
  ctx: ServiceContext,
  restoring: { type: EntityType; data: DocumentData }[],
): Promise<Map<string, FieldError>> {
  const refusals = new Map<string, FieldError>();
  const claimed = new Set<string>();
  for (const { type, data } of restoring) {
    for (const field of entities[type].uniqueFields as string[]) {
      const value = data[field];
      if (typeof value !== 'string') continue;
      const label = entities[type].label.toLowerCase();
      const key = `${type}:${field}:${value.toLowerCase()}`;
      const holder = await findLiveByFoldedValue(ctx, type, field, value);
      if (holder) {
        refusals.set(String(data.id), {
          field,
          message: `Cannot restore the ${label} "${value}": a live ${label} named "${String(holder[field])}" exists now. Rename one of them first.`,
        });
      } else if (claimed.has(key)) {
        refusals.set(String(data.id), {
          field,
          message: `Two ${label} entries named "${value}" cannot both be restored. Rename one first.`,
        });
      }
      claimed.add(key);
    }
  }
  return refusals;
}

/** Refuses the whole restore (VALIDATION, nothing written) when any entry cannot take its unique name back. */
export async function assertNamesFree(ctx: ServiceContext, restoring: { type: EntityType; data: DocumentData }[]) {
  const errors = [...(await nameRefusals(ctx, restoring)).values()];
  if (errors.length === 0) return;
  const labels = new Map(
    restoring.flatMap(({ type }) =>
      (entities[type].uniqueFields as string[]).map((f) => [f, fieldLabel(type, f)] as const),
    ),
  );
  throw validationError('The restore', errors, (field) => labels.get(field) ?? field);
}

function factsOf(type: EntityType, data: DocumentData): Record<string, unknown> {
  return Object.fromEntries(namesakeFactFields(type).map((field) => [field, data[field] ?? null]));
}

/**
 * Per entry about to be restored (by id), the live entries of its type whose name reads as its own
 * (namesakeKey: ignoring case and spacing), itself left out. The candidates of each type are found at once:
 * through the name index where the title has one (one narrow lookup per distinct name), else in one query
 * of the search index for every title; then read in one read by ids and compared in full.
 */
async function liveNamesakes(
  ctx: ServiceContext,
  search: SearchIndex,
  restoring: { type: EntityType; id: string; title: string }[],
): Promise<Map<string, RestoreNamesake[]>> {
  const found = new Map<string, RestoreNamesake[]>();
  const byType = new Map<EntityType, { id: string; title: string; key: string }[]>();
  for (const { type, id, title } of restoring) {
    if (title.trim() === '') continue;
    let wanted = byType.get(type);
    if (!wanted) byType.set(type, (wanted = []));
    wanted.push({ id, title, key: namesakeKey(type, title) });
  }
  for (const [type, wanted] of byType) {
    const field = entities[type].titleField;
    const titles = [...new Set(wanted.map(({ title }) => title))];
    const keys = new Set(wanted.map(({ key }) => key));
    let documents: DocumentData[];
    if (foldedNameFields(type).includes(field)) {
      documents = [];
      for (const title of titles) documents.push(...(await allLiveByFoldedValue(ctx, type, field, title)));
    } else {
      // The index holds each title as written: only the candidates that read alike are read in full.
      const ids = (await search.titleHolders(type, titles))
        .filter((candidate) => keys.has(namesakeKey(type, candidate.title)))
        .map(({ id }) => id);
      documents =
        ids.length === 0 ? [] : await ctx.database.entities[type].storageInstance.findDocumentsById(ids, false);
    }
    const byKey = new Map<string, RestoreNamesake[]>();
    // Two titles restored that differ only in case ("Alps", "alps") found the same entries.
    for (const data of new Map(documents.map((document) => [String(document.id), document])).values()) {
      const key = namesakeKey(type, titleOf(type, data));
      if (data.deletedAt !== null || !keys.has(key)) continue;
      const namesake = { id: String(data.id), title: titleOf(type, data), facts: factsOf(type, data) };
      let same = byKey.get(key);
      if (!same) byKey.set(key, (same = []));
      same.push(namesake);
    }
    for (const same of byKey.values()) same.sort((a, b) => a.id.localeCompare(b.id));
    for (const { id, key } of wanted) {
      const others = (byKey.get(key) ?? []).filter((other) => other.id !== id);
      if (others.length > 0) found.set(id, others);
    }
  }
  return found;
}

/** The entries `data` links to that are in the trash and not coming back along with it. */
async function linksStayingInTrash(ctx: ServiceContext, type: EntityType, data: DocumentData, comingBack: Set<string>) {
  const links: RestorePreviewEntry['linksInTrash'] = [];
  for (const reference of entities[type].references) {
    const value = data[reference.field];
    const ids = (Array.isArray(value) ? value : typeof value === 'string' ? [value] : []) as string[];
    const outside = ids.filter((linked) => !comingBack.has(linked));
    if (outside.length === 0) continue;
    const target = reference.target as EntityType;
    const found = await ctx.database.entities[target].findByIds(outside).exec();
    for (const linked of outside) {
      const document = found.get(linked)?.toJSON() as DocumentData | undefined;
      if (!document || document.deletedAt === null) continue;
      links.push({
        type: target,
        id: linked,
        title: titleOf(target, document),
        field: fieldLabel(type, reference.field),
      });
    }
  }
  return links;
}
