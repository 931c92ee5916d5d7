import { ENTITY_TYPES, entities, type EntityType } from '../../shared/entities/registry';
import { quoteIdentifier, type SqliteInternals } from '../storage';
import type { ServiceContext } from './context';
import { fillInBulk, idsInOrder, mustRebuild, rebuilt, UNLESS_BULK_WRITE, waitingList } from './derived-tables';

/** One row per link: which entry (`source_id`) points at which (`target_id`) through which field. */
const LINKS = 'curio_links';
const STATE = 'curio_links_state';
/** Entries a bulk write (a pulled page, an import) wrote whose link rows are not made yet (see `catchUp`). */
const WAITING = 'curio_links_waiting';

const text = (value: string) => `'${value.replace(/'/g, "''")}'`;

export interface StoredLink {
  type: EntityType;
  id: string;
  title: string;
  field: string;
  inTrash: boolean;
}

export interface LinkStore {
  /** How many entries of `sourceType` link to `targetId`, live and in the trash. */
  count(targetId: string, sourceType: EntityType): { live: number; trash: number };
  /** The entries of `sourceType` that link to `targetId`, live first, then by title; at most `limit`. */
  referrers(targetId: string, sourceType: EntityType, limit: number): StoredLink[];
  /** Makes the links of the entries bulk writes left waiting; run before every read, so none is missed. */
  catchUp(): Promise<void>;
  close(): void;
}

/**
 * The reverse of every reference field, kept inside the profile's SQLite file
 * like the search index (search-store.ts): triggers on each referencing
 * entity table update it in the same transaction as a save, so "appears in
 * N videos" is an indexed lookup at 100,000 entries instead of a scan, and
 * needs no build at open. A bulk write (a pulled page, an import) lists its
 * entries instead, and their links are made once writes pause, or before the
 * next read (`catchUp`). Rebuilt once when the tables or references change
 * (see derived-tables.ts).
 * NOTE: list fields (a video's people) have no Mango index for "contains";
 * this table is that index.
 */
export async function openLinkStore(ctx: ServiceContext): Promise<LinkStore> {
  const sources = ENTITY_TYPES.filter((type) => entities[type].references.length > 0).map((type) => {
    const internals = ctx.database.entities[type].storageInstance.internals as SqliteInternals;
    return { type, file: internals.file, table: internals.table.name, internals };
  });
  const tableOf = new Map(sources.map((source) => [source.type, source.table]));
  const file = sources[0]!.file;
  await file.waitForWriteTurn();
  const db = file.writer;
  const fingerprint = JSON.stringify({
    // 2: the triggers pause during bulk writes, which fill the links themselves.
    version: 2,
    // An update that changes no link leaves the entry's rows alone.
    unchangedUpdates: 'skipped',
    tables: sources.map(({ table }) => table),
    references: sources.map(({ type }) => [type, entities[type].references]),
  });
  const derived = { state: STATE, prefix: LINKS, fingerprint, triggers: sources.length * 3 };
  if (mustRebuild(db, derived)) {
    db.transaction(() => {
      for (const { table } of sources) {
        for (const event of ['INSERT', 'UPDATE', 'DELETE'])
          db.exec(`DROP TRIGGER IF EXISTS ${quoteIdentifier(`${LINKS}_${event}_${table}`)}`);
      }
      db.exec(`DROP TABLE IF EXISTS ${LINKS}`);
      db.exec(`CREATE TABLE ${LINKS} (target_id TEXT NOT NULL, source_type TEXT NOT NULL,
        source_id TEXT NOT NULL, field TEXT NOT NULL, in_trash INTEGER NOT NULL)`);
      db.exec(`CREATE INDEX ${LINKS}_target ON ${LINKS} (target_id, source_type, in_trash)`);
      db.exec(`CREATE INDEX ${LINKS}_source ON ${LINKS} (source_id)`);
      for (const { type, table } of sources) {
        createTriggers(db, type, table);
        db.exec(linkRows(type, 't', table));
      }
      rebuilt(db, derived);
    })();
  }
  const remove = db.prepare(`DELETE FROM ${LINKS} WHERE source_id IN (SELECT value FROM json_each(?))`);
  const add = db.prepare(
    `INSERT INTO ${LINKS} (target_id, source_type, source_id, field, in_trash) VALUES (?, ?, ?, ?, ?)`,
  );
  const fills = new Map(
    sources.map(({ type, table }) => {
      const stored = db.prepare(
        `SELECT id, data FROM ${quoteIdentifier(table)} WHERE deleted = 0 AND id IN (SELECT value FROM json_each(?))`,
      );
      // Each document parsed once in JavaScript: SQL would parse its JSON again for every reference field.
      const fill = (ids: string[]) => {
        const bound = JSON.stringify(ids);
        remove.run(bound);
        for (const row of stored.all(bound) as { id: string; data: string }[]) {
          const doc = JSON.parse(row.data) as Record<string, unknown>;
          for (const link of linksOf(type, doc)) add.run(link.target, type, row.id, link.field, link.inTrash ? 1 : 0);
        }
      };
      return [type as string, fill];
    }),
  );
  const waiting = waitingList({
    file,
    table: WAITING,
    fill: (type, ids) => fills.get(type)?.(ids),
    idsAfter: idsInOrder(db, tableOf),
    changes: sources.map(({ internals }) => internals.table.changes$),
    what: 'the back-links',
  });
  for (const { type, internals } of sources) {
    fillInBulk(internals.table, LINKS, (ids, _docs, _replaced, intoEmptyTable) =>
      waiting.mark(type, ids, intoEmptyTable),
    );
  }

  return {
    count(targetId, sourceType) {
      const rows = file
        .readConnection()
        .prepare(
          `SELECT in_trash, count(DISTINCT source_id) AS n FROM ${LINKS}
           WHERE target_id = ? AND source_type = ? GROUP BY in_trash`,
        )
        .all(targetId, sourceType) as { in_trash: number; n: number }[];
      return {
        live: rows.find((row) => row.in_trash === 0)?.n ?? 0,
        trash: rows.find((row) => row.in_trash === 1)?.n ?? 0,
      };
    },
    referrers(targetId, sourceType, limit) {
      const table = tableOf.get(sourceType);
      if (!table) return [];
      const titlePath = text(`$.${entities[sourceType].titleField}`);
      const rows = file
        .readConnection()
        .prepare(
          `SELECT l.source_id AS id, json_extract(t.data, ${titlePath}) AS title,
             group_concat(l.field) AS fields, l.in_trash AS in_trash
           FROM ${LINKS} l JOIN ${quoteIdentifier(table)} t ON t.id = l.source_id
           WHERE l.target_id = ? AND l.source_type = ?
           GROUP BY l.source_id ORDER BY l.in_trash, title COLLATE NOCASE, l.source_id LIMIT ?`,
        )
        .all(targetId, sourceType, limit) as { id: string; title: string | null; fields: string; in_trash: number }[];
      return rows.map((row) => ({
        type: sourceType,
        id: row.id,
        title: row.title ?? '',
        field: row.fields.split(',')[0]!,
        inTrash: row.in_trash === 1,
      }));
    },
    catchUp: waiting.catchUp,
    close: waiting.close,
  };
}

/**
 * `INSERT … SELECT` of the link rows of the document row `alias` (its `data`
 * column is JSON): from `table` for a rebuild, or the trigger's `new` row.
 * A catch-up makes the same rows in JavaScript (`linksOf`).
 */
function linkRows(type: EntityType, alias: string, table: string | null): string {
  const data = `${alias}.data`;
  const inTrash = `json_extract(${data}, '$.deletedAt') IS NOT NULL`;
  const from = table ? `${quoteIdentifier(table)} ${alias}` : null;
  const live = `${alias}.deleted = 0`;
  const selects = entities[type].references.map((reference) => {
    const path = text(`$.${reference.field}`);
    const shown = `${text(type)}, ${alias}.id, ${text(reference.field)}, ${inTrash}`;
    return reference.many
      ? `SELECT j.value, ${shown} FROM ${from ? `${from}, ` : ''}json_each(${data}, ${path}) j WHERE ${live}`
      : `SELECT json_extract(${data}, ${path}), ${shown} ${from ? `FROM ${from}` : ''}
         WHERE ${live} AND json_extract(${data}, ${path}) IS NOT NULL`;
  });
  return `INSERT INTO ${LINKS} (target_id, source_type, source_id, field, in_trash) ${selects.join(' UNION ALL ')}`;
}

/**
 * The link rows of one live document, as `linkRows` makes them from its stored JSON (same fields, same
 * rules): each element of a list field; a single field unless null or missing.
 */
function linksOf(
  type: EntityType,
  doc: Record<string, unknown>,
): { target: unknown; field: string; inTrash: boolean }[] {
  const inTrash = doc.deletedAt !== null && doc.deletedAt !== undefined;
  return entities[type].references.flatMap((reference) => {
    const value = doc[reference.field];
    if (reference.many)
      return Array.isArray(value) ? value.map((target) => ({ target, field: reference.field, inTrash })) : [];
    return value === null || value === undefined ? [] : [{ target: value, field: reference.field, inTrash }];
  });
}

/** Keeps the links of one entity table in step: every write replaces the entry's rows; tombstones remove them. */
function createTriggers(db: SqliteInternals['file']['writer'], type: EntityType, table: string): void {
  const remove = `DELETE FROM ${LINKS} WHERE source_id = old.id;`;
  const add = `${linkRows(type, 'new', null)};`;
  /*
   * What the entry's link rows are made of (see `linkRows`): an edit that changes none of it (a title, a
   * duration) writes no link page, where deleting and adding the same rows wrote the table and its two
   * indexes. `->` tells a JSON null from a missing field, as json_each does.
   */
  const linked = (alias: string) =>
    [
      `${alias}.deleted`,
      `json_extract(${alias}.data, '$.deletedAt') IS NOT NULL`,
      ...entities[type].references.map((reference) => `${alias}.data -> ${text(`$.${reference.field}`)}`),
    ].join(', ');
  const body = {
    INSERT: [add, UNLESS_BULK_WRITE],
    UPDATE: [remove + add, `${UNLESS_BULK_WRITE} AND (${linked('new')}) IS NOT (${linked('old')})`],
    DELETE: [remove, UNLESS_BULK_WRITE],
  };
  for (const [event, [statements, when]] of Object.entries(body)) {
    db.exec(
      `CREATE TRIGGER ${quoteIdentifier(`${LINKS}_${event}_${table}`)} AFTER ${event} ON ${quoteIdentifier(table)}
        WHEN ${when} BEGIN ${statements} END`,
    );
  }
}
