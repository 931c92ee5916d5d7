import type { AuditAction } from '../audit';
import { entities, type EntityType } from '../entities/registry';
import { fieldLabel, referenceOf } from './field-labels';

/** Each audit action in words, as history, audit, recent activity and exports show it. */
export const ACTION_WORDS: Record<AuditAction, string> = {
  create: 'Created',
  update: 'Edited',
  trash: 'Moved to trash',
  restore: 'Restored from trash',
  purge: 'Deleted permanently',
  'reference.remove': 'Removed link',
  'conflict.resolve': 'Resolved conflict',
  import: 'Imported',
};

/** Titles of linked entries by id; an id missing here was deleted permanently. */
export type LinkTitles = Record<string, string>;

/** An audit entry's change of one field (values as stored, ids for links). */
type Change = { field: string; from?: unknown; to?: unknown };

/** One changed field in words: its label and both values. */
export interface ReadableChange {
  field: string;
  label: string;
  from: string;
  to: string;
}

/** A time as a person reads it where the text is made (the renderer's or the exporting machine's zone). */
export const localTime = (iso: string) => new Date(iso).toLocaleString();

/** A value as a person reads it: lists joined, empty shown as an em dash, photos summarized. */
export function describeValue(value: unknown): string {
  if (value === undefined || value === null || value === '') return '—';
  if (Array.isArray(value)) return value.length === 0 ? '—' : value.map(describeValue).join(', ');
  if (typeof value === 'string' && value.startsWith('data:image/'))
    return `(image, ${Math.round(value.length / 1024)} KB)`;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * An audit entry's changes in words: fields by label, links by the linked entries' titles,
 * the trash state as "Moved to trash on <local date>". Changes equal in words are left out.
 */
export function readableChanges(
  type: EntityType,
  changes: readonly Change[],
  titles: LinkTitles = {},
  formatTime: (iso: string) => string = localTime,
): ReadableChange[] {
  return changes
    .map((change) => ({
      field: change.field,
      label: fieldLabel(type, change.field),
      from: describeField(type, change.field, change.from, titles, formatTime, 'from'),
      to: describeField(type, change.field, change.to, titles, formatTime, 'to'),
    }))
    .filter((diff) => diff.from !== diff.to);
}

/**
 * An audit entry's changes in words (readableChanges), read with its action: a permanent delete
 * takes the entry out of the trash too, and that reads "Deleted permanently", not "Restored".
 */
export function readableEntryChanges(
  entry: { entityType: string; action: AuditAction; changes: readonly Change[]; titles?: LinkTitles },
  formatTime: (iso: string) => string = localTime,
): ReadableChange[] {
  const changes = readableChanges(entry.entityType as EntityType, entry.changes, entry.titles, formatTime);
  if (entry.action !== 'purge') return changes;
  return changes.map((change) => (change.field === 'deletedAt' ? { ...change, to: ACTION_WORDS.purge } : change));
}

function describeField(
  type: EntityType,
  field: string,
  value: unknown,
  titles: LinkTitles,
  formatTime: (iso: string) => string,
  side: 'from' | 'to',
): string {
  if (field === 'deletedAt') {
    if (typeof value !== 'string') return side === 'to' ? 'Restored' : '—';
    return side === 'to' ? `Moved to trash on ${formatTime(value)}` : `In trash since ${formatTime(value)}`;
  }
  const reference = referenceOf(type, field);
  if (!reference || value === null || value === undefined) return describeValue(value);
  const label = entities[reference.target as EntityType].label.toLowerCase();
  const title = (id: unknown) => titles[String(id)] ?? `(deleted ${label})`;
  return Array.isArray(value) ? describeValue(value.map(title)) : title(value);
}

/** The ids an entry's changes link to, per linked type: what a batch title lookup needs. */
export function linkedIdsOf(type: EntityType, changes: readonly Change[], into = new Map<EntityType, Set<string>>()) {
  for (const change of changes) {
    const reference = referenceOf(type, change.field);
    if (!reference) continue;
    const target = reference.target as EntityType;
    const ids = into.get(target) ?? new Set<string>();
    for (const value of [change.from, change.to]) {
      for (const id of Array.isArray(value) ? value : value ? [value] : []) if (typeof id === 'string') ids.add(id);
    }
    into.set(target, ids);
  }
  return into;
}
