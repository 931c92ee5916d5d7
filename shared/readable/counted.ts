import { entities, type EntityType } from '../entities/registry';

/**
 * A count with its noun, singular for exactly one: "1 row", "3 rows", "1 audit entry", "2 audit entries".
 * `plural` for nouns that do not just add an "s". Every count shown in words goes through here
 * (renderer and core alike), so one and many read right everywhere.
 */
export function counted(count: number, singular: string, plural = `${singular}s`): string {
  return `${count.toLocaleString()} ${oneOrMany(count, singular, plural)}`;
}

/** The word that agrees with a count, without the count: oneOrMany(n, 'is', 'are'), oneOrMany(n, 'it', 'them'). */
export function oneOrMany(count: number, one: string, many: string): string {
  return count === 1 ? one : many;
}

/** A count of entries of one type in running text: "1 dog", "3 people". */
export function countedEntries(type: EntityType, count: number): string {
  return counted(count, entities[type].label.toLowerCase(), entities[type].pluralLabel.toLowerCase());
}
