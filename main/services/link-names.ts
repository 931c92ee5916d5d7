import { entities, type EntityType } from '../../shared/entities/registry';
import type { FieldError } from '../../shared/errors';
import { referenceColumns } from '../../shared/readable';
import type { ServiceContext } from './context';
import type { LinkCells } from './row-format';
import { allLiveByFoldedValue } from './rules';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What a name stands for among the live entries of one type. */
type Match = { ids: string[] };

/**
 * Resolves the links of many import rows at once: every distinct name is looked up once per
 * linked type (case ignored, live entries only), then each row gets its ids or a field error
 * for a name that is unknown or ambiguous. A names cell may also hold ids (older exports did);
 * when a row gives both names and ids for a link, they must agree.
 */
export async function resolveLinks(
  ctx: ServiceContext,
  type: EntityType,
  rows: Record<string, LinkCells>[],
): Promise<{ values: Record<string, unknown>; errors: FieldError[] }[]> {
  const lookups = new Map<EntityType, Map<string, Promise<Match>>>();
  const lookUp = (target: EntityType, name: string) => {
    const byName = lookups.get(target) ?? new Map<string, Promise<Match>>();
    lookups.set(target, byName);
    const key = name.toLowerCase();
    let match = byName.get(key);
    if (!match) {
      match = allLiveByFoldedValue(ctx, target, entities[target].titleField, name).then((found) => ({
        ids: found.map((document) => document.id as string),
      }));
      byName.set(key, match);
    }
    return match;
  };

  const results = [];
  for (const links of rows) {
    const values: Record<string, unknown> = {};
    const errors: FieldError[] = [];
    for (const reference of entities[type].references) {
      const cells = links[reference.field];
      if (!cells) continue;
      const target = reference.target as EntityType;
      const label = entities[target].label.toLowerCase();
      const columns = referenceColumns(reference);
      const fromNames: string[] = [];
      let named = true;
      for (const name of cells.names) {
        if (UUID.test(name)) {
          fromNames.push(name);
          continue;
        }
        const { ids } = await lookUp(target, name);
        if (ids.length === 1) fromNames.push(ids[0]!);
        else {
          named = false;
          errors.push({
            field: columns.names,
            message:
              ids.length === 0
                ? `No ${label} named "${name}" exists; check the spelling, or add the ${label} first.`
                : `${ids.length} ${entities[target].pluralLabel.toLowerCase()} are named "${name}"; give the id in ${columns.ids} instead.`,
          });
        }
      }
      if (!named) continue;
      let ids = cells.ids;
      if (cells.names.length > 0 && cells.ids.length > 0 && !sameSet(fromNames, cells.ids)) {
        errors.push({
          field: columns.names,
          message: `${columns.names} and ${columns.ids} name different entries; clear one of the two columns.`,
        });
        continue;
      }
      if (cells.names.length > 0) ids = fromNames;
      const unique = [...new Set(ids)];
      if (!reference.many && unique.length > 1) {
        errors.push({ field: columns.names, message: `Give one ${label} only; this row names ${unique.length}.` });
        continue;
      }
      values[reference.field] = reference.many ? unique : unique[0];
    }
    results.push({ values, errors });
  }
  return results;
}

function sameSet(a: string[], b: string[]): boolean {
  const left = new Set(a.map((id) => id.toLowerCase()));
  const right = new Set(b.map((id) => id.toLowerCase()));
  return left.size === right.size && [...left].every((id) => right.has(id));
}
