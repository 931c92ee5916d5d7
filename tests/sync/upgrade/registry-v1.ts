/**
 * A test-only second version of the entity registry (issue 14), built with the
 * same defineEntity machinery a release would use: `dog` gains `size` with a
 * default, `person` renames `bio` to `biography`, and a new type `tag` joins.
 * Processes started with `use-registry-v1.mjs` load this module wherever the
 * code imports shared/entities/registry, so a real core or server runs "v1".
 */
import { z } from 'zod';
import { defineEntity } from '../../../shared/entities/define-entity';
import { dog as dogV0 } from '../../../shared/entities/dog';
import { person as personV0 } from '../../../shared/entities/person';
import { series } from '../../../shared/entities/series';
import { trip } from '../../../shared/entities/trip';
import { video } from '../../../shared/entities/video';
import type { DocumentData } from '../../../shared/entities/versions';
import { duration, optionalText, requiredName } from '../../../shared/validators';

export const DOG_SIZES = ['unknown', 'small', 'medium', 'large'] as const;

const dog = defineEntity({
  ...dogV0,
  fields: { ...dogV0.fields, size: z.enum(DOG_SIZES).default('unknown') },
  history: [
    {
      fields: dogV0.fields,
      up: (document) => ({ ...document, size: 'unknown' }),
      down: ({ size: _size, ...document }) => document,
    },
  ],
});

const { bio, ...personFields } = personV0.fields;
const renamed = (from: string, to: string) => (document: DocumentData) => {
  const { [from]: value, ...rest } = document;
  return value === undefined ? rest : { ...rest, [to]: value };
};

const person = defineEntity({
  type: 'person',
  label: personV0.label,
  pluralLabel: personV0.pluralLabel,
  fields: { ...personFields, biography: bio },
  titleField: 'name',
  searchFields: ['name', 'aliases', 'biography'],
  listColumns: [{ field: 'name', label: 'Name' }],
  references: [],
  uniqueFields: ['name'],
  rules: [],
  history: [{ fields: personV0.fields, up: renamed('bio', 'biography'), down: renamed('biography', 'bio') }],
});

const tag = defineEntity({
  type: 'tag',
  label: 'Tag',
  pluralLabel: 'Tags',
  fields: { name: requiredName('Name'), note: optionalText('Note', 200) },
  titleField: 'name',
  searchFields: ['name', 'note'],
  listColumns: [{ field: 'name', label: 'Name' }],
  references: [],
  uniqueFields: ['name'],
  rules: [],
});

// The production registry's exports, over the v1 types.
export const entities = { video, person, dog, trip, series, tag } as const;
export type EntityType = keyof typeof entities;
export const ENTITY_TYPES = Object.keys(entities) as EntityType[];

export function isEntityType(value: string): value is EntityType {
  return Object.prototype.hasOwnProperty.call(entities, value);
}

export function getEntity<T extends EntityType>(type: T): (typeof entities)[T] {
  return entities[type];
}

export function titleOf(type: EntityType, document: Record<string, unknown>): string {
  const value = document[entities[type].titleField];
  return typeof value === 'string' ? value : '';
}

export function isDurationField(type: EntityType, field: string): boolean {
  return (entities[type].fields as Record<string, unknown>)[field] === duration;
}
