import type { Actor } from '../entities/envelope';
import type { EntityDocument, EntityType } from '../entities/registry';
import { seededRandom, uuidV7From } from './random';
import { BREEDS, COLORS, DOG_NAMES, FIRST_NAMES, LAST_NAMES, PLACES, SERIES_NAMES, TOPICS } from './words';

export type CatalogCounts = Record<EntityType, number>;
export type Catalog = { [T in EntityType]: EntityDocument<T>[] };

export const SAMPLE_ACTOR: Actor = { id: 'sample', name: 'Sample data' };
/** 2025-01-01T00:00:00Z: generated documents are spread over the year after it. */
const EPOCH = Date.UTC(2025, 0, 1);
const YEAR_MS = 365 * 24 * 3600 * 1000;

/**
 * Generates a catalog of valid documents with valid references between them.
 * Deterministic: the same seed and counts give the same documents, ids included.
 * Names that must be unique get a number once the word lists run out.
 */
export function generateCatalog(counts: CatalogCounts, seed = 1): Catalog {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const chance = (p: number) => random() < p;
  let clock = 0;
  const envelope = () => {
    clock += 1;
    const time = EPOCH + Math.floor((clock / (totalOf(counts) + 1)) * YEAR_MS);
    const at = new Date(time).toISOString();
    return {
      id: uuidV7From(time, random),
      rev: uuidV7From(time, random),
      createdAt: at,
      createdBy: SAMPLE_ACTOR,
      updatedAt: at,
      updatedBy: SAMPLE_ACTOR,
      deletedAt: null,
      deletedBy: null,
    };
  };
  const isoDay = (offsetDays: number) => new Date(EPOCH + offsetDays * 86_400_000).toISOString().slice(0, 10);

  const person = Array.from({ length: counts.person }, (_, i) => ({
    ...envelope(),
    name: numbered(`${FIRST_NAMES[i % FIRST_NAMES.length]} ${pick(LAST_NAMES)}`, i, FIRST_NAMES.length),
    bio: chance(0.6) ? `Filmmaker and walker from ${pick(PLACES)}.` : undefined,
    aliases: chance(0.3) ? [`${FIRST_NAMES[i % FIRST_NAMES.length]!.slice(0, 3)}${i}`] : [],
    photoVisible: true,
  }));
  const dog = Array.from({ length: counts.dog }, (_, i) => ({
    ...envelope(),
    name: numbered(DOG_NAMES[i % DOG_NAMES.length]!, i, DOG_NAMES.length),
    breed: pick(BREEDS),
    color: pick(COLORS),
    birthYear: 2012 + Math.floor(random() * 13),
    aliases: chance(0.4) ? [`Little ${DOG_NAMES[i % DOG_NAMES.length]}`] : [],
    photoVisible: true,
  }));
  const trip = Array.from({ length: counts.trip }, (_, i) => {
    const start = Math.floor(random() * 300);
    return {
      ...envelope(),
      name: `${pick(PLACES)} ${2025 + (i % 2)}`,
      location: pick(PLACES),
      startDate: isoDay(start),
      endDate: isoDay(start + 1 + Math.floor(random() * 14)),
    };
  });
  const series = Array.from({ length: counts.series }, (_, i) => ({
    ...envelope(),
    name: numbered(SERIES_NAMES[i % SERIES_NAMES.length]!, i, SERIES_NAMES.length),
    description: `Short films about ${pick(TOPICS).toLowerCase()}s and more.`,
  }));
  const episodes = new Map<string, number>();
  const video = Array.from({ length: counts.video }, () => {
    const inSeries = series.length > 0 && chance(0.5) ? pick(series).id : undefined;
    const episode = inSeries ? (episodes.get(inSeries) ?? 0) + 1 : undefined;
    if (inSeries) episodes.set(inSeries, episode!);
    const minutes = 1 + Math.floor(random() * 40);
    const seconds = Math.floor(random() * 60);
    return {
      ...envelope(),
      title: `${pick(TOPICS)} in ${pick(PLACES)}`,
      youtubeId: youtubeIdFrom(random),
      description: chance(0.5) ? 'Filmed on a phone, edited on the train home.' : undefined,
      duration: `${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}`,
      publishedAt: isoDay(Math.floor(random() * 360)),
      people: sample(person, random, 3).map((p) => p.id),
      dogs: sample(dog, random, 2).map((d) => d.id),
      tripId: trip.length > 0 && chance(0.6) ? pick(trip).id : undefined,
      seriesId: inSeries,
      episode,
    };
  });
  return stripUndefined({ video, person, dog, trip, series }) as Catalog;
}

function totalOf(counts: CatalogCounts): number {
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}

function numbered(name: string, index: number, listLength: number): string {
  const round = Math.floor(index / listLength);
  return round === 0 ? name : `${name} ${round + 1}`;
}

const YOUTUBE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
function youtubeIdFrom(random: () => number): string {
  return Array.from({ length: 11 }, () => YOUTUBE_ALPHABET[Math.floor(random() * YOUTUBE_ALPHABET.length)]).join('');
}

function sample<T>(items: T[], random: () => number, max: number): T[] {
  const count = Math.min(items.length, Math.floor(random() * (max + 1)));
  const chosen = new Set<T>();
  while (chosen.size < count) chosen.add(items[Math.floor(random() * items.length)]!);
  return [...chosen];
}

/** Optional fields are absent rather than undefined, as they are after a JSON round trip. */
function stripUndefined<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Counts that give roughly `total` documents with the proportions of a real catalog. */
export function countsForTotal(total: number): CatalogCounts {
  const video = Math.round(total * 0.7);
  const person = Math.round(total * 0.12);
  const dog = Math.round(total * 0.12);
  const trip = Math.round(total * 0.04);
  return { video, person, dog, trip, series: Math.max(1, total - video - person - dog - trip) };
}

/** The catalog in resources/sample-catalog.json, written by scripts/make-sample-catalog.ts. */
export const SAMPLE_CATALOG_COUNTS: CatalogCounts = { video: 200, person: 36, dog: 28, trip: 12, series: 8 };
export const SAMPLE_CATALOG_SEED = 2026;
