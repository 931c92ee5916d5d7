import type { z } from 'zod';
import { entities, type EntityType } from '../entities/registry';

/** Wrappers that do not change what kind of value a field holds. */
const WRAPPERS = new Set(['default', 'optional', 'nullable', 'prefault', 'readonly', 'catch', 'pipe']);

interface SchemaDef {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
}

function isArraySchema(schema: z.ZodType): boolean {
  let current: z.ZodType | undefined = schema;
  while (current) {
    const def: SchemaDef = (current as unknown as { def: SchemaDef }).def;
    if (def.type === 'array') return true;
    if (!WRAPPERS.has(def.type)) return false;
    current = def.innerType ?? def.in;
  }
  return false;
}

const cache = new Map<EntityType, ReadonlySet<string>>();

/**
 * The fields of an entity type that hold lists (aliases, people, dogs, …),
 * read from the entity's zod schema so a new list field merges as a set
 * without touching the merge code.
 */
export function arrayFieldsOf(type: EntityType): ReadonlySet<string> {
  let fields = cache.get(type);
  if (!fields) {
    const shape = entities[type].fields as Record<string, z.ZodType>;
    fields = new Set(Object.keys(shape).filter((field) => isArraySchema(shape[field]!)));
    cache.set(type, fields);
  }
  return fields;
}
