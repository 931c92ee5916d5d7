import type { z } from 'zod';
import { duration } from '../validators';
import { dog } from './dog';
import { person } from './person';
import { series } from './series';
import { trip } from './trip';
import { video } from './video';

/** Every entity type of the catalog. Adding a type means adding its file and one line here. */
export const entities = { video, person, dog, trip, series } as const;

export type EntityType = keyof typeof entities;
export const ENTITY_TYPES = Object.keys(entities) as EntityType[];

export type EntityDescriptor<T extends EntityType = EntityType> = (typeof entities)[T];
export type EntityFields<T extends EntityType> = z.output<EntityDescriptor<T>['fieldsSchema']>;
export type EntityFieldsInput<T extends EntityType> = z.input<EntityDescriptor<T>['fieldsSchema']>;
export type EntityDocument<T extends EntityType = EntityType> = z.output<EntityDescriptor<T>['documentSchema']>;

export function isEntityType(value: string): value is EntityType {
  return Object.prototype.hasOwnProperty.call(entities, value);
}

export function getEntity<T extends EntityType>(type: T): EntityDescriptor<T> {
  return entities[type];
}

/** The display title of a document, from its type's title field. */
export function titleOf(type: EntityType, document: Record<string, unknown>): string {
  const value = document[entities[type].titleField];
  return typeof value === 'string' ? value : '';
}

/**
 * Durations are text ("1:05:00"): lists sort and filter them by their length in seconds, in SQL
 * (main/services/list-sql.ts), never in the order of the stored text.
 */
export function isDurationField(type: EntityType, field: string): boolean {
  return (entities[type].fields as Record<string, unknown>)[field] === duration;
}
